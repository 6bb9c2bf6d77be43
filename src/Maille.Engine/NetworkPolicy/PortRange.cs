using System.Globalization;

namespace Maille.Engine.NetworkPolicies;

/// <summary>An inclusive range of port numbers.</summary>
public readonly record struct PortRange(int First, int Last)
{
    public const int MinPort = 1;

    public const int MaxPort = 65535;

    public override string ToString() => First == Last
        ? First.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");
}
