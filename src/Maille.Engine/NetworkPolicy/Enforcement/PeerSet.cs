using System.Net;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// The addresses one peer list (<c>from</c> or <c>to</c> of a rule) matches, as an interval set: the IPs of the pods
/// its selectors match, and its ipBlocks minus their <c>except</c> entries.
/// <para>
/// <see cref="Name"/> is derived from <see cref="Definition"/> (the peers as written, plus the policy's namespace when a
/// pod selector depends on it), never from the members: rules with the same peers share one set, and a relabelled pod
/// changes <see cref="Members"/> while every chain that names the set stays as it is.
/// </para>
/// </summary>
public sealed record PeerSet(string Name, string Definition, EquatableArray<AddressRange> Members)
{
    public bool Contains(IPAddress address) => Members.Any(m => m.Contains(address));
}
