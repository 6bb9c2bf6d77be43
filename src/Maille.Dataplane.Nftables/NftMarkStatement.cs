using System.Globalization;

namespace Maille.Dataplane.Nftables;

/// <summary><c>meta mark set meta mark | BIT</c> (<see cref="Set"/>) or <c>^ BIT</c> (clear a bit known to be set).</summary>
internal sealed record NftMarkStatement(uint Bit, bool Set) : NftStatement
{
    public override string Text => string.Create(CultureInfo.InvariantCulture, $"meta mark set meta mark {(Set ? "|" : "^")} 0x{Bit:x8}");
}
