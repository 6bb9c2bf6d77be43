using System.Globalization;
using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// <c>numgen random mod N vmap { 0 : goto A, 1 : goto B }</c>: an anonymous verdict map. Used only for Services with
/// session affinity; every other Service shares the typed maps (see docs/services-dataplane.md for why).
/// </summary>
internal sealed record NftNumgenVmapStatement(EquatableArray<NftVerdict> Targets) : NftStatement
{
    public override string Text => string.Create(CultureInfo.InvariantCulture,
        $"numgen random mod {Targets.Count} vmap {{ {string.Join(", ", Targets.Select((t, i) => $"{i} : {t}"))} }}");
}
