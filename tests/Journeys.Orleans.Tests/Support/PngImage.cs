using StbImageSharp;

namespace Journeys.Orleans.Tests.Support;

/// <summary>The pixels of a screenshot, decoded by StbImageSharp: enough to tell a blank page from a rendered one.</summary>
public sealed class PngImage
{
    private PngImage(int width, int height, uint[] pixels) => (Width, Height, Pixels) = (width, height, pixels);

    public int Width { get; }
    public int Height { get; }

    /// <summary>Each pixel as 0xRRGGBB (alpha dropped), row by row.</summary>
    public uint[] Pixels { get; }

    /// <summary>The most frequent colour: the page's background.</summary>
    public uint Background => Pixels.GroupBy(p => p).MaxBy(g => g.Count())!.Key;

    public int DistinctColours => Pixels.Distinct().Count();

    /// <summary>How many pixels differ from <see cref="Background"/>.</summary>
    public int NonBackgroundPixels
    {
        get
        {
            var background = Background;
            return Pixels.Count(p => p != background);
        }
    }

    /// <summary>How many pixels are exactly <paramref name="rgb"/> (0xRRGGBB).</summary>
    public int Count(uint rgb) => Pixels.Count(p => p == rgb);

    public override string ToString() =>
        $"{Width}×{Height}, {DistinctColours} colours, background #{Background:x6}, {NonBackgroundPixels} other pixels";

    public static PngImage Decode(byte[] png)
    {
        var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);
        var pixels = new uint[image.Width * image.Height];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = (uint)(image.Data[i * 3] << 16 | image.Data[i * 3 + 1] << 8 | image.Data[i * 3 + 2]);
        return new PngImage(image.Width, image.Height, pixels);
    }
}
