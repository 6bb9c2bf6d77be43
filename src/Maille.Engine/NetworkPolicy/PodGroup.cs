using System.Collections.Immutable;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// Pods that every policy treats alike both before and after a change: the same <see cref="PodClass"/> in the current
/// set and in the candidate (same namespace, labels, named ports and ipBlock membership), or absent from one side
/// together. Each connection between two members of two groups changes the same way, for the same rules, so a
/// <see cref="ReachabilityDiff"/> reports one line per pair of groups instead of one per pair of pods.
/// </summary>
/// <param name="Id">The group's position in <see cref="ReachabilityDiff.Groups"/>.</param>
/// <param name="Pods">The members' <c>namespace/name</c>, in ordinal order (never empty).</param>
/// <param name="Labels">The members' labels (the candidate's, or the current's for pods the candidate lacks).</param>
public sealed record PodGroup(int Id, string Namespace, ImmutableArray<string> Pods, Labels Labels, bool InCurrent, bool InCandidate)
{
    /// <summary>Ordered pairs of distinct members from this group to <paramref name="to"/>.</summary>
    public long PairsTo(PodGroup to) => ReferenceEquals(this, to) ? (long)Pods.Length * (Pods.Length - 1) : (long)Pods.Length * to.Pods.Length;
}
