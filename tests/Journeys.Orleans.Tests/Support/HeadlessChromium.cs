using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;

namespace Journeys.Orleans.Tests.Support;

/// <summary>
/// Runs /usr/bin/chromium headless as a child process (test.sh installs the Debian package <c>chromium</c>): the DOM a
/// page has after its scripts ran, or a PNG screenshot. One browser at a time, each with a new empty profile, killed
/// with its children when it overruns the timeout.
/// </summary>
public static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>The rendered DOM of <paramref name="url"/> (<c>--dump-dom</c>).</summary>
    public static async Task<string> DumpDomAsync(string url, TimeSpan? timeout = null) =>
        (await RunAsync(["--dump-dom", url], timeout)).Output;

    /// <summary>The DOM of <paramref name="url"/> once its scripts had <paramref name="scriptTime"/> of (virtual) time to run.</summary>
    public static async Task<string> DumpScriptedDomAsync(string url, TimeSpan scriptTime, TimeSpan? timeout = null) =>
        (await RunAsync([$"--virtual-time-budget={(int)scriptTime.TotalMilliseconds}", "--dump-dom", url], timeout)).Output;

    /// <summary>A PNG screenshot of <paramref name="url"/> in a window of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static async Task<byte[]> ScreenshotAsync(string url, int width = 1280, int height = 900, TimeSpan? timeout = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"journeys-shot-{Guid.NewGuid():N}.png");
        try
        {
            var run = await RunAsync([$"--screenshot={file}", $"--window-size={width},{height}", "--hide-scrollbars", url], timeout);
            if (!File.Exists(file)) throw new InvalidOperationException($"Chromium wrote no screenshot:\n{run.Errors}");
            return await File.ReadAllBytesAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(string Output, string Errors)> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: run ./test.sh, which installs the Debian package chromium.");
        var profile = Directory.CreateTempSubdirectory("journeys-chromium-");
        await OneAtATime.WaitAsync();
        try
        {
            var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var flag in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}",
                     })
                start.ArgumentList.Add(flag);
            foreach (var argument in arguments) start.ArgumentList.Add(argument);

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"Chromium did not finish within {timeout ?? TimeSpan.FromSeconds(60)}:\n{await errors}");
            }
            return (await output, await errors);
        }
        finally
        {
            OneAtATime.Release();
            try { profile.Delete(recursive: true); } catch (IOException) { }
        }
    }
}

/// <summary>
/// The pixels of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium's screenshots are): enough to tell a blank
/// page from a rendered one.
/// </summary>
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
        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (!png.AsSpan().StartsWith(signature)) throw new InvalidDataException("not a PNG");

        int width = 0, height = 0, channels = 0;
        var idat = new MemoryStream();
        for (var at = 8; at + 8 <= png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = (int)BinaryPrimitives.ReadUInt32BigEndian(data);
                height = (int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
                var (bitDepth, colourType, interlace) = (data[8], data[9], data[12]);
                channels = colourType switch { 2 => 3, 6 => 4, _ => 0 };
                if (bitDepth != 8 || channels == 0 || interlace != 0)
                    throw new NotSupportedException($"PNG bit depth {bitDepth}, colour type {colourType}, interlace {interlace}: only 8-bit RGB/RGBA");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            at += 12 + length; // length, type, data, CRC
        }

        var stride = width * channels;
        var raw = new byte[height * (stride + 1)];
        idat.Position = 0;
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.ReadExactly(raw);

        // Undo each row's filter (PNG spec, section 9): the filtered bytes become the pixel bytes in place.
        var previous = new byte[stride];
        var pixels = new uint[width * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var row = raw.AsSpan(y * (stride + 1) + 1, stride);
            for (var i = 0; i < stride; i++)
            {
                int left = i >= channels ? row[i - channels] : 0, up = previous[i], upLeft = i >= channels ? previous[i - channels] : 0;
                row[i] += filter switch
                {
                    0 => (byte)0,
                    1 => (byte)left,
                    2 => (byte)up,
                    3 => (byte)((left + up) / 2),
                    4 => (byte)Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"PNG filter {filter} in row {y}"),
                };
            }
            for (var x = 0; x < width; x++)
                pixels[y * width + x] = (uint)(row[x * channels] << 16 | row[x * channels + 1] << 8 | row[x * channels + 2]);
            row.CopyTo(previous);
        }
        return new PngImage(width, height, pixels);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
