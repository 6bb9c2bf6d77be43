using System.Globalization;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Engine.Analysis;

/// <summary>
/// Lint for NetworkPolicies, judged on the planned cluster: policies and peers that select nothing, egress isolation
/// that blocks DNS, named ports no destination declares, rules ignored because policyTypes leaves their direction
/// out, and policies another one makes redundant. hostNetwork pods are never counted (policy never selects them).
/// </summary>
public static class PolicyFindings
{
    public const string DnsNamespace = "kube-system";

    public static IEnumerable<Finding> For(ClusterState cluster, NetworkPolicyEvaluator evaluator)
    {
        var pods = cluster.Pods.Where(p => !p.Spec.HostNetwork).ToList();
        var podsByNamespace = pods.ToLookup(p => p.Namespace, StringComparer.Ordinal);
        var dns = DnsPods(pods);

        // Peers and named ports are judged as if the cluster DNS existed, so a rule written for it is not "empty".
        var peerTargets = dns.Assumed ? [.. pods, StandInDnsPod] : pods;
        var selected = cluster.NetworkPolicies.ToDictionary(
            p => p,
            p => podsByNamespace[p.Namespace].Where(pod => p.PodSelector.Matches(pod.Labels)).ToList());

        foreach (var policy in cluster.NetworkPolicies)
        {
            var at = new ObjectRef("NetworkPolicy", policy.Namespace, policy.Meta.Name);
            if (selected[policy].Count == 0)
            {
                yield return new Finding("PolicySelectsNoPod", at, $"podSelector {policy.PodSelector} selects no pod in namespace {policy.Namespace}: the policy has no effect", At(policy, "spec.podSelector"));
            }

            foreach (var finding in IgnoredRules(policy, at)
                .Concat(EmptyPeers(policy, at, peerTargets, evaluator))
                .Concat(UndeclaredNamedPorts(policy, at, selected[policy], peerTargets, evaluator))
                .Concat(Shadowing(policy, at, cluster.NetworkPolicies, selected)))
            {
                yield return finding;
            }
        }

        foreach (var finding in DnsBlocked(cluster, pods, dns.Pods, dns.Assumed, evaluator))
        {
            yield return finding;
        }
    }

    private static IEnumerable<Finding> IgnoredRules(NetworkPolicy policy, ObjectRef at)
    {
        if (policy.DeclaredPolicyTypes is not { } declared)
        {
            yield break;
        }

        var types = declared == PolicyDirection.None ? "[]" : $"[{declared}]";
        if (!declared.HasFlag(PolicyDirection.Ingress) && !policy.Ingress.IsEmpty)
        {
            yield return new Finding("RulesIgnoredByPolicyTypes", at, $"spec.ingress has {Count(policy.Ingress.Count, "rule")} but policyTypes {types} leaves Ingress out: they are ignored", At(policy, "spec.ingress"));
        }

        if (!declared.HasFlag(PolicyDirection.Egress) && !policy.Egress.IsEmpty)
        {
            yield return new Finding("RulesIgnoredByPolicyTypes", at, $"spec.egress has {Count(policy.Egress.Count, "rule")} but policyTypes {types} leaves Egress out: they are ignored", At(policy, "spec.egress"));
        }
    }

    private static IEnumerable<Finding> EmptyPeers(NetworkPolicy policy, ObjectRef at, IReadOnlyList<Pod> pods, NetworkPolicyEvaluator evaluator)
    {
        foreach (var (direction, field, peersField, rules) in ActiveRules(policy))
        {
            for (var r = 0; r < rules.Count; r++)
            {
                for (var i = 0; i < rules[r].Peers.Count; i++)
                {
                    var peer = rules[r].Peers[i];
                    if (peer.IpBlock is null && !pods.Any(p => NetworkPolicyEvaluator.PeerMatches(policy, peer, evaluator.ClassOf(p), null)))
                    {
                        var path = $"{field}[{r}].{peersField}[{i}]";
                        yield return new Finding("PeerSelectsNothing", at, $"{path} ({Describe(peer)}) selects no pod: it allows nothing", At(policy, path));
                    }
                }
            }
        }
    }

    private static IEnumerable<Finding> UndeclaredNamedPorts(NetworkPolicy policy, ObjectRef at, IReadOnlyList<Pod> selected, IReadOnlyList<Pod> pods, NetworkPolicyEvaluator evaluator)
    {
        foreach (var (direction, field, _, rules) in ActiveRules(policy))
        {
            for (var r = 0; r < rules.Count; r++)
            {
                var rule = rules[r];

                // Named ports resolve on the destination: the selected pods for ingress, the rule's peers for egress.
                var destinations = direction == PolicyDirection.Ingress
                    ? selected
                    : pods.Where(p => rule.Peers.IsEmpty || rule.Peers.Any(peer => NetworkPolicyEvaluator.PeerMatches(policy, peer, evaluator.ClassOf(p), p.Status.PodIP))).ToList();
                if (destinations.Count == 0)
                {
                    continue;
                }

                for (var i = 0; i < rule.Ports.Count; i++)
                {
                    var port = rule.Ports[i];
                    if (port.Port is { IsNamed: true, Name: var name } && destinations.All(p => p.Spec.FindPort(name!, port.Protocol) is null))
                    {
                        var path = $"{field}[{r}].ports[{i}]";
                        var whose = direction == PolicyDirection.Ingress ? "selected" : "destination";
                        yield return new Finding("NamedPortUndeclared", at, $"{path}: named port \"{name}\" ({port.Protocol}) is declared by none of the {Count(destinations.Count, whose + " pod")}: it matches nothing", At(policy, path));
                    }
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="policy"/> is redundant when another policy of its namespace selects the same pods, isolates every
    /// direction it isolates, and has, for each of its rules, a rule whose peers and ports include that rule's (an empty
    /// list including everything). Syntactic, so sound: removing the policy changes no verdict in this cluster. A
    /// namespace-wide policy is only compared with other namespace-wide ones (it is a baseline for future pods).
    /// </summary>
    private static IEnumerable<Finding> Shadowing(NetworkPolicy policy, ObjectRef at, IReadOnlyList<NetworkPolicy> all, Dictionary<NetworkPolicy, List<Pod>> selected)
    {
        var mine = selected[policy].Select(p => p.QualifiedName).ToHashSet(StringComparer.Ordinal);
        if (mine.Count == 0)
        {
            yield break;
        }

        foreach (var other in all.Where(o => !ReferenceEquals(o, policy) && o.Namespace == policy.Namespace))
        {
            // A namespace-wide policy (podSelector {}) also guards pods created later: it is redundant only beside
            // another namespace-wide one, not beside a narrower selector that happens to select the same pods today.
            if (!mine.SetEquals(selected[other].Select(p => p.QualifiedName)) || !Covers(other, policy)
                || (policy.PodSelector.IsEmpty && !other.PodSelector.IsEmpty))
            {
                continue;
            }

            // Two equivalent policies shadow each other: report only the one that sorts last.
            if (Covers(policy, other) && string.CompareOrdinal(policy.Meta.Name, other.Meta.Name) < 0)
            {
                continue;
            }

            yield return new Finding("PolicyShadowed", at, $"is redundant: {other.QualifiedName} selects the same {Count(mine.Count, "pod")} and allows everything this policy allows; removing it changes nothing", policy.Meta.Source);
            yield break;
        }
    }

    private static bool Covers(NetworkPolicy wide, NetworkPolicy narrow)
    {
        foreach (var direction in new[] { PolicyDirection.Ingress, PolicyDirection.Egress })
        {
            if (!narrow.EffectivePolicyTypes.HasFlag(direction))
            {
                continue;
            }

            if (!wide.EffectivePolicyTypes.HasFlag(direction))
            {
                return false;
            }

            var wideRules = direction == PolicyDirection.Ingress ? wide.Ingress : wide.Egress;
            var narrowRules = direction == PolicyDirection.Ingress ? narrow.Ingress : narrow.Egress;
            if (!narrowRules.All(n => wideRules.Any(w => Includes(w.Peers, n.Peers) && Includes(w.Ports, n.Ports))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An empty list means "anything", so it includes every list; otherwise every item must appear.</summary>
    private static bool Includes<T>(EquatableArray<T> wide, EquatableArray<T> narrow) =>
        wide.IsEmpty || (!narrow.IsEmpty && narrow.All(wide.Contains));

    /// <summary>
    /// Egress-isolated pods that may not reach the cluster DNS on UDP 53 or TCP 53: pods labelled k8s-app=kube-dns in
    /// kube-system, or when there are none a stand-in pod there (see <see cref="StandInDnsPod"/>). One finding per set
    /// of isolating policies.
    /// </summary>
    private static IEnumerable<Finding> DnsBlocked(ClusterState cluster, IReadOnlyList<Pod> pods, IReadOnlyList<Pod> dns, bool assumed, NetworkPolicyEvaluator evaluator)
    {
        var blocked = new List<(Pod Pod, string Policies, string Protocols)>();
        foreach (var pod in pods.Where(p => !dns.Contains(p)))
        {
            var egress = evaluator.IsolationOf(pod).Egress;
            if (egress.IsEmpty)
            {
                continue;
            }

            var closed = new[] { Protocol.UDP, Protocol.TCP }
                .Where(protocol => !dns.Any(d => evaluator.Evaluate(PolicyEndpoint.ForPod(pod), PolicyEndpoint.ForPod(d), 53, protocol).Egress.Allowed))
                .Select(protocol => $"{protocol} 53")
                .ToList();
            if (closed.Count > 0)
            {
                blocked.Add((pod, string.Join(", ", egress), string.Join(" and ", closed)));
            }
        }

        var target = assumed ? $"the cluster DNS (no k8s-app=kube-dns pod in {DnsNamespace}; judged against one assumed there)" : "the cluster DNS (" + string.Join(", ", dns.Select(d => d.QualifiedName)) + ")";
        foreach (var group in blocked.GroupBy(b => (b.Policies, b.Protocols)))
        {
            var first = cluster.NetworkPolicies.First(p => p.QualifiedName == group.Key.Policies.Split(", ")[0]);
            var names = group.Select(b => b.Pod.QualifiedName).ToList();
            var list = names.Count <= 5 ? string.Join(", ", names) : string.Join(", ", names.Take(5)) + $" and {names.Count - 5} more";
            yield return new Finding(
                "EgressBlocksDns",
                new ObjectRef("NetworkPolicy", first.Namespace, first.Meta.Name),
                $"egress of {list} (isolated by {group.Key.Policies}) blocks {group.Key.Protocols} to {target}: name lookups will fail unless the pods only use IP addresses",
                first.Meta.Source);
        }
    }

    /// <summary>The kube-dns pods, or the stand-in when the input has none.</summary>
    internal static (IReadOnlyList<Pod> Pods, bool Assumed) DnsPods(IReadOnlyList<Pod> pods)
    {
        var dns = pods.Where(p => p.Namespace == DnsNamespace && p.Labels.Get("k8s-app") == "kube-dns").ToList();
        return dns.Count == 0 ? ([StandInDnsPod], true) : (dns, false);
    }

    /// <summary>
    /// Judged against when the input has no kube-dns pod: in kube-system, labelled k8s-app=kube-dns, with ports dns
    /// 53/UDP and dns-tcp 53/TCP, and no address (so ipBlock peers are not credited with reaching it).
    /// </summary>
    private static Pod StandInDnsPod { get; } = new()
    {
        Meta = new ObjectMeta { Name = "kube-dns (assumed)", Namespace = DnsNamespace, Labels = Labels.Of(("k8s-app", "kube-dns")) },
        Spec = new PodSpec
        {
            Containers = new[]
            {
                new Container { Name = "coredns", Ports = new[] { new ContainerPort("dns", 53, Protocol.UDP), new ContainerPort("dns-tcp", 53, Protocol.TCP) } },
            },
        },
    };

    private static IEnumerable<(PolicyDirection Direction, string Field, string PeersField, EquatableArray<NetworkPolicyRule> Rules)> ActiveRules(NetworkPolicy policy)
    {
        if (policy.EffectivePolicyTypes.HasFlag(PolicyDirection.Ingress))
        {
            yield return (PolicyDirection.Ingress, "spec.ingress", "from", policy.Ingress);
        }

        if (policy.EffectivePolicyTypes.HasFlag(PolicyDirection.Egress))
        {
            yield return (PolicyDirection.Egress, "spec.egress", "to", policy.Egress);
        }
    }

    private static string Describe(NetworkPolicyPeer peer) => string.Join(", ", new[]
    {
        peer.NamespaceSelector is { } ns ? $"namespaceSelector {ns}" : null,
        peer.PodSelector is { } pod ? $"podSelector {pod}" : null,
    }.OfType<string>());

    private static SourceLocation At(NetworkPolicy policy, string field) => policy.Meta.Source with { Line = policy.Meta.Source.LineOf(field) };

    private static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");
}
