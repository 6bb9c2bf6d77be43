using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Maille.Engine.Dns;

/// <summary>Spelling rules for names in cluster DNS: absolute names, dashed addresses, reverse (in-addr.arpa) names.</summary>
internal static class DnsNames
{
    public const string ReverseSuffix = "in-addr.arpa.";

    /// <summary>The name made absolute (ending in one dot); the case is kept, as a response echoes the question.</summary>
    public static string Absolute(string name) => name.EndsWith('.') ? name : name + ".";

    /// <summary>A cluster domain as a zone: lower case, absolute (<c>cluster.local.</c>).</summary>
    public static string Zone(string domain) => Absolute(domain.Trim().TrimEnd('.').ToLowerInvariant());

    /// <summary>
    /// The system-assigned label of an address, as CoreDNS spells it: <c>198-19-1-5</c>. Used for pod A records and
    /// for endpoints of a headless Service that have no hostname.
    /// </summary>
    public static string Dashed(IPAddress address) => address.ToString().Replace('.', '-').Replace(':', '-');

    /// <summary><c>5.1.19.198.in-addr.arpa.</c> for 198.19.1.5.</summary>
    public static string Reverse(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is not an IPv4 address; only in-addr.arpa names are made", nameof(address));
        }

        var bytes = address.GetAddressBytes();
        return string.Create(CultureInfo.InvariantCulture, $"{bytes[3]}.{bytes[2]}.{bytes[1]}.{bytes[0]}.{ReverseSuffix}");
    }

    /// <summary>The IPv4 address a full reverse name stands for (<paramref name="name"/> in lower case, absolute); null otherwise.</summary>
    public static IPAddress? FromReverse(string name)
    {
        if (!name.EndsWith("." + ReverseSuffix, StringComparison.Ordinal))
        {
            return null;
        }

        var labels = name[..^(ReverseSuffix.Length + 1)].Split('.');
        if (labels.Length != 4)
        {
            return null;
        }

        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            // Decimal octets without leading zeros only: "010" is not how a reverse name is written.
            if (labels[i].Length is 0 or > 3 || (labels[i].Length > 1 && labels[i][0] == '0')
                || !byte.TryParse(labels[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[3 - i]))
            {
                return null;
            }
        }

        return new IPAddress(bytes);
    }
}
