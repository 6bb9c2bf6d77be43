using System.Globalization;

namespace Maille.Dataplane.Nftables;

/// <summary><c>meta mark &amp; MASK == 0</c> (<see cref="IsSet"/> false) or <c>!= 0</c> (true).</summary>
internal sealed record NftMarkMatch(uint Mask, bool IsSet) : NftMatch
{
    public override string Text => string.Create(CultureInfo.InvariantCulture, $"meta mark & 0x{Mask:x8} {(IsSet ? "!=" : "==")} 0x00000000");
}
