using System.Globalization;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>IP protocol numbers (the IANA registry, as <c>meta l4proto</c> reads them) of the protocols a policy names.</summary>
public static class IpProtocols
{
    public const int Tcp = 6;
    public const int Udp = 17;
    public const int Sctp = 132;
    public const int Last = 255;

    public static int Number(Protocol protocol) => protocol switch
    {
        Protocol.TCP => Tcp,
        Protocol.UDP => Udp,
        Protocol.SCTP => Sctp,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    /// <summary>The number of a protocol name (<c>tcp</c>, <c>icmp</c>, …) or a number written as text; null when unknown.</summary>
    public static int? Parse(string text) => text.ToLowerInvariant() switch
    {
        "icmp" => 1,
        "tcp" => Tcp,
        "udp" => Udp,
        "sctp" => Sctp,
        _ => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= Last ? number : null,
    };

    /// <summary><c>tcp</c>, <c>udp</c>, <c>sctp</c>, or the number.</summary>
    public static string Name(int number) => number switch
    {
        Tcp => "tcp",
        Udp => "udp",
        Sctp => "sctp",
        _ => number.ToString(CultureInfo.InvariantCulture),
    };
}
