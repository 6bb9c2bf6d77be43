using System.Globalization;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>A destination port and its protocol, written <c>80/TCP</c>.</summary>
public readonly record struct PortProtocol(int Port, Protocol Protocol) : IComparable<PortProtocol>
{
    /// <summary>Parses <c>80</c>, <c>80/TCP</c> or <c>53/udp</c>; the protocol defaults to TCP.</summary>
    public static bool TryParse(string text, out PortProtocol value)
    {
        value = default;
        var parts = text.Split('/');
        if (parts.Length > 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < PortRange.MinPort or > PortRange.MaxPort)
        {
            return false;
        }

        var protocol = Protocol.TCP;
        if (parts.Length == 2 && (!Enum.TryParse(parts[1], ignoreCase: true, out protocol) || !Enum.IsDefined(protocol) || int.TryParse(parts[1], out _)))
        {
            return false;
        }

        value = new PortProtocol(port, protocol);
        return true;
    }

    public int CompareTo(PortProtocol other) => Port != other.Port ? Port.CompareTo(other.Port) : Protocol.CompareTo(other.Protocol);

    public static bool operator <(PortProtocol left, PortProtocol right) => left.CompareTo(right) < 0;

    public static bool operator <=(PortProtocol left, PortProtocol right) => left.CompareTo(right) <= 0;

    public static bool operator >(PortProtocol left, PortProtocol right) => left.CompareTo(right) > 0;

    public static bool operator >=(PortProtocol left, PortProtocol right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Port}/{Protocol}");
}
