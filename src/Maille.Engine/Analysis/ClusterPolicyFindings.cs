using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Engine.Analysis;

/// <summary>
/// Lint for ClusterNetworkPolicies, judged on the planned cluster: rules that can never match because an earlier rule
/// of the same tier (an earlier rule of the policy, or a rule of a policy evaluated before it) covers their subjects,
/// peers and ports; Accept and Deny rules of two policies at the same tier and priority that match the same traffic
/// for the same pods (which one wins is then only Maille's name order, not the author's intent); and a Baseline tier
/// that denies some pods' egress to the cluster DNS on port 53 where no NetworkPolicy isolates them.
/// </summary>
public static class ClusterPolicyFindings
{
    public static IEnumerable<Finding> For(ClusterState cluster, NetworkPolicyEvaluator evaluator)
    {
        if (cluster.ClusterNetworkPolicies.Count == 0)
        {
            return [];
        }

        var pods = cluster.Pods.Where(p => !p.Spec.HostNetwork).ToList();
        var subjects = cluster.ClusterNetworkPolicies.ToDictionary(
            p => p,
            p => pods.Where(pod => p.Subject.Matches(evaluator.NamespaceLabelsOf(pod.Namespace), pod.Labels)).ToHashSet());
        return Shadowed(evaluator, subjects)
            .Concat(Conflicts(evaluator, pods, subjects))
            .Concat(BaselineCutsDns(cluster, pods, evaluator));
    }

    private static IEnumerable<Finding> Shadowed(NetworkPolicyEvaluator evaluator, Dictionary<ClusterNetworkPolicy, HashSet<Pod>> subjects)
    {
        foreach (var tier in new[] { evaluator.AdminTier, evaluator.BaselineTier })
        {
            for (var p = 0; p < tier.Length; p++)
            {
                var policy = tier[p];
                if (subjects[policy].Count == 0)
                {
                    continue;
                }

                foreach (var direction in new[] { PolicyDirection.Ingress, PolicyDirection.Egress })
                {
                    var rules = policy.RulesFor(direction);
                    for (var r = 0; r < rules.Count; r++)
                    {
                        // Earlier rules of this policy, then every rule of the policies evaluated before it.
                        var earlier = Enumerable.Range(0, r).Select(i => (Policy: policy, Rule: i))
                            .Concat(tier.Take(p).Where(o => subjects[policy].IsSubsetOf(subjects[o])).SelectMany(o => Enumerable.Range(0, o.RulesFor(direction).Count).Select(i => (Policy: o, Rule: i))));
                        foreach (var (other, index) in earlier)
                        {
                            var wide = other.RulesFor(direction)[index];
                            if (PeersInclude(wide.Peers, rules[r].Peers) && PortsInclude(wide.Ports, rules[r].Ports))
                            {
                                var by = ReferenceEquals(other, policy) ? $"rule {index}{Named(wide)} before it" : $"{other.Name} (priority {other.Priority}) {Side(direction)} rule {index}{Named(wide)}";
                                yield return new Finding(
                                    "ClusterRuleShadowed",
                                    At(policy),
                                    $"{Side(direction)} rule {r}{Named(rules[r])} ({rules[r].Action}) never matches: {by} ({wide.Action}) covers its peers and ports for every pod it selects",
                                    At(policy, $"spec.{Side(direction)}[{r}]"));
                                break;
                            }
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<Finding> Conflicts(NetworkPolicyEvaluator evaluator, List<Pod> pods, Dictionary<ClusterNetworkPolicy, HashSet<Pod>> subjects)
    {
        foreach (var tier in new[] { evaluator.AdminTier, evaluator.BaselineTier })
        {
            for (var a = 0; a < tier.Length; a++)
            {
                for (var b = a + 1; b < tier.Length && tier[b].Priority == tier[a].Priority; b++)
                {
                    var (first, second) = (tier[a], tier[b]);
                    if (!subjects[first].Overlaps(subjects[second]))
                    {
                        continue;
                    }

                    var conflict = (from direction in new[] { PolicyDirection.Ingress, PolicyDirection.Egress }
                                    from x in first.RulesFor(direction).Select((rule, index) => (Rule: rule, Index: index))
                                    from y in second.RulesFor(direction).Select((rule, index) => (Rule: rule, Index: index))
                                    where x.Rule.Action != y.Rule.Action && x.Rule.Action != ClusterPolicyAction.Pass && y.Rule.Action != ClusterPolicyAction.Pass
                                        && PeersOverlap(evaluator, pods, x.Rule.Peers, y.Rule.Peers) && PortsOverlap(x.Rule.Ports, y.Rule.Ports)
                                    select (direction, x, y)).FirstOrDefault();
                    if (conflict.x.Rule is null)
                    {
                        continue;
                    }

                    var side = Side(conflict.direction);
                    yield return new Finding(
                        "ClusterPoliciesConflict",
                        At(second),
                        $"{first.Name} and {second.Name} have the same tier ({first.Tier}) and priority ({first.Priority}) and select the same pods, and {first.Name} {side} rule {conflict.x.Index}{Named(conflict.x.Rule)} ({conflict.x.Rule.Action}) and {second.Name} {side} rule {conflict.y.Index}{Named(conflict.y.Rule)} ({conflict.y.Rule.Action}) match the same traffic: upstream leaves the winner undefined (Maille takes {first.Name}, by name); give them different priorities",
                        At(second, "spec.priority"));
                }
            }
        }
    }

    /// <summary>
    /// Pods NetworkPolicy does not isolate for egress whose egress to every cluster DNS pod on UDP or TCP 53 the
    /// Baseline tier denies (an Admin-tier decision is the administrator's explicit choice, and NetworkPolicy's is
    /// linted by <see cref="PolicyFindings"/>). One finding per deciding rule.
    /// </summary>
    private static IEnumerable<Finding> BaselineCutsDns(ClusterState cluster, List<Pod> pods, NetworkPolicyEvaluator evaluator)
    {
        var (dns, _) = PolicyFindings.DnsPods(pods);
        var cut = new List<(ClusterRuleRef Rule, Pod Pod, Protocol Protocol)>();
        foreach (var pod in pods.Where(p => !dns.Contains(p) && evaluator.IsolationOf(p).Egress.IsEmpty))
        {
            foreach (var protocol in new[] { Protocol.UDP, Protocol.TCP })
            {
                var sides = dns.Select(d => evaluator.Evaluate(PolicyEndpoint.ForPod(pod), PolicyEndpoint.ForPod(d), 53, protocol).Egress).ToList();
                if (sides.All(s => !s.Allowed) && sides.FirstOrDefault(s => s.Tier == DecidingTier.Baseline) is { DecidedBy: { } rule })
                {
                    cut.Add((rule, pod, protocol));
                }
            }
        }

        foreach (var group in cut.GroupBy(c => c.Rule))
        {
            var policy = cluster.ClusterNetworkPolicies.First(p => p.Name == group.Key.Policy);
            var names = group.Select(c => c.Pod.QualifiedName).Distinct(StringComparer.Ordinal).ToList();
            var list = names.Count <= 5 ? string.Join(", ", names) : string.Join(", ", names.Take(5)) + $" and {names.Count - 5} more";
            var protocols = string.Join(" and ", group.Select(c => $"{c.Protocol} 53").Distinct(StringComparer.Ordinal));
            yield return new Finding(
                "BaselineBlocksDns",
                At(policy),
                $"egress rule {group.Key.Rule}{(group.Key.RuleName is null ? "" : $" \"{group.Key.RuleName}\"")} denies {protocols} to the cluster DNS for {list}, which no NetworkPolicy isolates: name lookups will fail unless a NetworkPolicy or an Admin-tier rule allows them",
                At(policy, $"spec.egress[{group.Key.Rule}]"));
        }
    }

    /// <summary>Every peer of <paramref name="narrow"/> is one of <paramref name="wide"/>'s, or inside one of them.</summary>
    private static bool PeersInclude(EquatableArray<ClusterPolicyPeer> wide, EquatableArray<ClusterPolicyPeer> narrow) =>
        narrow.All(n => wide.Any(w => w == n
            || (w.Namespaces is { IsEmpty: true } && (n.Namespaces is not null || n.Pods is not null))
            || (w.Namespaces is { } ns && n.Pods is { } pods && pods.NamespaceSelector == ns)
            || (!w.Networks.IsEmpty && !n.Networks.IsEmpty && n.Networks.All(x => w.Networks.Any(y => Contains(y, x))))));

    /// <summary>An empty list is every port; otherwise each narrow entry lies inside a wide one.</summary>
    private static bool PortsInclude(EquatableArray<ClusterPolicyPort> wide, EquatableArray<ClusterPolicyPort> narrow) =>
        wide.IsEmpty || (!narrow.IsEmpty && narrow.All(n => wide.Any(w => w == n
            || (w.NamedPort is null && n.NamedPort is null && w.Protocol == n.Protocol && w.First <= n.First && n.Last <= w.Last))));

    private static bool PortsOverlap(EquatableArray<ClusterPolicyPort> a, EquatableArray<ClusterPolicyPort> b) =>
        a.IsEmpty || b.IsEmpty || a.Any(x => b.Any(y => x.NamedPort is not null || y.NamedPort is not null
            ? x.NamedPort is null || y.NamedPort is null || x.NamedPort == y.NamedPort
            : x.Protocol == y.Protocol && x.First <= y.Last && y.First <= x.Last));

    /// <summary>Some pod both peer lists match, or two networks that intersect.</summary>
    private static bool PeersOverlap(NetworkPolicyEvaluator evaluator, List<Pod> pods, EquatableArray<ClusterPolicyPeer> a, EquatableArray<ClusterPolicyPeer> b) =>
        pods.Any(pod => Matches(evaluator, a, pod) && Matches(evaluator, b, pod))
        || a.SelectMany(p => p.Networks).Any(x => b.SelectMany(p => p.Networks).Any(y => Contains(x, y) || Contains(y, x)))
        || (a.Any(p => p.Nodes is not null) && b.Any(p => p.Nodes is not null));

    private static bool Matches(NetworkPolicyEvaluator evaluator, EquatableArray<ClusterPolicyPeer> peers, Pod pod) =>
        peers.Any(peer => evaluator.ClusterPeerMatches(peer, evaluator.ClassOf(pod), pod.Status.PodIP));

    private static bool Contains(IpBlock outer, IpBlock inner) =>
        outer.Network is { } o && inner.Network is { } i && o.BaseAddress.AddressFamily == i.BaseAddress.AddressFamily
        && o.PrefixLength <= i.PrefixLength && o.Contains(i.BaseAddress);

    private static string Side(PolicyDirection direction) => direction == PolicyDirection.Ingress ? "ingress" : "egress";

    private static string Named(ClusterPolicyRule rule) => rule.Name is null ? "" : $" \"{rule.Name}\"";

    private static ObjectRef At(ClusterNetworkPolicy policy) => new(policy.SourceKind, null, policy.Name);

    private static SourceLocation At(ClusterNetworkPolicy policy, string field) => policy.Meta.Source with { Line = policy.Meta.Source.LineOf(field) };
}
