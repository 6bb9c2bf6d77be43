using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// A named set or map. <see cref="Declaration"/> is its type line (<c>type ipv4_addr . inet_proto . inet_service : verdict</c>
/// or a <c>typeof</c> line), plus flags and timeout. A <see cref="Dynamic"/> set is filled by the packet path
/// (<c>update @set</c>): its elements are the kernel's, so syncing never rewrites them.
/// </summary>
public sealed record NftSet(string Name, string Declaration, EquatableArray<NftElement> Elements, bool Dynamic = false)
{
    public bool IsMap => Declaration.Contains(" : ", StringComparison.Ordinal);
}
