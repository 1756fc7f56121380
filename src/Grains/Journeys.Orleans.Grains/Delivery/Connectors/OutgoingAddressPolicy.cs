using System.Net;
using System.Net.Sockets;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Connectors;

/// <summary>
/// Where webhooks, Segment collectors and list endpoints may be: not at loopback, private, shared (carrier-grade NAT),
/// link-local (cloud metadata lives there), unique-local, unspecified or multicast addresses, nor at a cloud metadata
/// name — unless <see cref="JourneysOptions.AllowedNetworks"/> names the network. Otherwise anyone who may create a
/// destination could make the silo call services only it can reach and read their answers back from dead letters.
/// Checked when a destination is saved (literal addresses and known names) and again when a connection is opened,
/// after DNS resolution, on the addresses actually connected to (a name can resolve anywhere, and change).
/// </summary>
public sealed class OutgoingAddressPolicy(IReadOnlyList<IPNetwork> allowedNetworks)
{
    private static readonly (IPNetwork Network, string Kind)[] Reserved =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (carrier-grade NAT)"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("224.0.0.0/3"), "multicast or reserved"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fc00::/7"), "unique-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    // Names of cloud instance metadata services; their addresses are link-local, but a name is refused before it resolves.
    private static readonly HashSet<string> MetadataNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal",
    };

    // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits: judged as that address.
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>The policy of <paramref name="options"/> (its networks are validated at start-up).</summary>
    public static OutgoingAddressPolicy From(JourneysOptions options) =>
        new(options.AllowedNetworks.Select(n => TryParseNetwork(n, out var network) ? network : throw new FormatException(n)).ToList());

    /// <summary>Parses a CIDR (<c>127.0.0.0/8</c>, <c>::1/128</c>) or a single address.</summary>
    public static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (IPNetwork.TryParse(text.Trim(), out network)) return true;
        if (!IPAddress.TryParse(text.Trim(), out var address)) return false;
        network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    /// <summary>Why calls to <paramref name="address"/> are refused, or null when they are not.</summary>
    public string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        else if (Nat64.Contains(address)) address = new IPAddress(address.GetAddressBytes()[12..]);
        if (allowedNetworks.Any(n => n.Contains(address))) return null;
        foreach (var (network, kind) in Reserved)
        {
            if (network.Contains(address)) return $"{address} is a {kind} address";
        }
        return null;
    }

    /// <summary>Throws, naming the field, when a destination's URL is at a refused literal address or a metadata name.</summary>
    public void Check(DestinationDefinition definition)
    {
        CheckUrl(definition.WebhookUrl, "webhookUrl");
        CheckUrl(definition.SegmentHost, "segmentHost");
        CheckUrl(definition.ListSyncUrl, "listSyncUrl");
    }

    private void CheckUrl(string? url, string field)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri)) return;
        var host = uri.IdnHost.TrimEnd('.');
        var refusal = MetadataNames.Contains(host) ? $"{host} is a cloud metadata service"
            : IPAddress.TryParse(host.Trim('[', ']'), out var address) ? Refusal(address)
            : null;
        if (refusal is not null)
            throw new JourneysValidationException(field, $"{refusal}; outgoing calls there are refused unless Journeys:AllowedNetworks names its network");
    }

    /// <summary>
    /// The connectors' HTTP handler: connects only to addresses the policy accepts, after resolving the name itself, so
    /// the address checked is the address connected to. No proxy: through one, the check would see only the proxy.
    /// Its pool holds as many connections per receiving host as a destination keeps requests in flight, and renews them
    /// now and then so that a receiver's changed address is picked up (and checked again).
    /// </summary>
    public static HttpMessageHandler CreateHandler(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<JourneysOptions>>().Value;
        var policy = From(options);
        return new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = policy.ConnectAsync,
            MaxConnectionsPerServer = options.DeliveryInFlightLimit,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        // Every address the name has must be acceptable: otherwise which one is used would decide whether the call is safe.
        foreach (var address in addresses)
        {
            if (Refusal(address) is { } refusal)
                throw new HttpRequestException(HttpRequestError.ConnectionError,
                    $"refused: {host} resolves to {refusal}; Journeys:AllowedNetworks can allow its network");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
