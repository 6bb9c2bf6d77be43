using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Engine.Mesh;

/// <summary>
/// The service mesh as Istio's ambient mode defines it, decided offline so that a node proxy (and later a waypoint)
/// only has to carry the decisions out. A pod is in the mesh when its namespace is labelled
/// <c>istio.io/dataplane-mode: ambient</c> or <c>maille.dev/mesh: enabled</c>, or the pod itself is labelled
/// <c>istio.io/dataplane-mode: ambient</c>, unless the pod says <c>istio.io/dataplane-mode: none</c>; hostNetwork pods never
/// are. Each meshed pod has the identity <c>spiffe://cluster.local/ns/NS/sa/SA</c>. The destination's node proxy
/// decides each TCP connection to a meshed pod (<see cref="Authorize"/>): PeerAuthentication first (STRICT refuses
/// plaintext), then AuthorizationPolicy in Istio's order — any matching DENY rule denies; with no ALLOW policy
/// selecting the workload the connection is allowed; otherwise one ALLOW rule must match. Pure: it reads the planned
/// cluster only. See docs/mesh.md.
/// </summary>
public sealed partial class MeshAuthorizer
{
    private readonly ClusterState _cluster;
    // Concurrent: a live node proxy decides many connections at once with one authorizer, and so does `maille probe`.
    private readonly ConcurrentDictionary<string, ImmutableArray<AuthorizationPolicy>> _policiesByPod = new(StringComparer.Ordinal);

    private MeshAuthorizer(ClusterState cluster)
    {
        _cluster = cluster;
        HasMeshedPods = cluster.Pods.Any(IsMeshed);
    }

    public static MeshAuthorizer For(ClusterState cluster) => new(cluster);

    /// <summary>Whether any pod is in the mesh; without one every verdict is <see cref="MeshVerdict.NotInMesh"/>.</summary>
    public bool HasMeshedPods { get; }

    public bool IsMeshed(Pod pod) => Membership(pod).Meshed;

    /// <summary>Whether the pod is in the mesh, and what decides it (a label of the pod's, of its namespace, or none), in words.</summary>
    public (bool Meshed, string Reason) Membership(Pod pod)
    {
        if (pod.Spec.HostNetwork)
        {
            return (false, "hostNetwork pods are never in the mesh");
        }

        if (pod.Labels.TryGetValue(MeshApi.DataplaneModeLabel, out var own))
        {
            if (own == MeshApi.OptOut)
            {
                return (false, $"the pod's label {MeshApi.DataplaneModeLabel}={MeshApi.OptOut} opts it out");
            }

            if (own == MeshApi.Ambient)
            {
                return (true, $"the pod's label {MeshApi.DataplaneModeLabel}={MeshApi.Ambient}");
            }
        }

        if (_cluster.NamespacesByName.TryGetValue(pod.Namespace, out var ns))
        {
            if (ns.Meta.Labels.TryGetValue(MeshApi.DataplaneModeLabel, out var mode) && mode == MeshApi.Ambient)
            {
                return (true, $"namespace {pod.Namespace}'s label {MeshApi.DataplaneModeLabel}={MeshApi.Ambient}");
            }

            if (ns.Meta.Labels.TryGetValue(MeshApi.MailleMeshLabel, out var maille) && maille == MeshApi.Enabled)
            {
                return (true, $"namespace {pod.Namespace}'s label {MeshApi.MailleMeshLabel}={MeshApi.Enabled}");
            }
        }

        return (false, $"namespace {pod.Namespace} has neither {MeshApi.DataplaneModeLabel}={MeshApi.Ambient} nor {MeshApi.MailleMeshLabel}={MeshApi.Enabled}");
    }

    /// <summary>The pod's service account: <c>serviceAccountName</c>, <c>default</c> when absent.</summary>
    public static string ServiceAccountOf(Pod pod) => pod.Spec.ServiceAccountName ?? "default";

    public static string IdentityOf(Pod pod) => MeshApi.SpiffeId(pod.Namespace, ServiceAccountOf(pod));

    /// <summary>
    /// Whether the connection travels over HBONE (source proxy → the destination pod's port 15008): both ends in the
    /// mesh, TCP, two different pods. Then NetworkPolicy sees the source pod's address and the destination pod's
    /// address on TCP 15008, not the application port.
    /// </summary>
    public bool CarriesOverHbone(Pod? source, Pod destination, Protocol protocol) =>
        protocol == Protocol.TCP && source is not null && !ReferenceEquals(source, destination) && source.QualifiedName != destination.QualifiedName
        && IsMeshed(source) && IsMeshed(destination);

    /// <summary>The port NetworkPolicy judges for a connection to <paramref name="port"/>: 15008/TCP when it travels over HBONE.</summary>
    public PortProtocol PolicyPort(Pod? source, Pod destination, int port, Protocol protocol) =>
        CarriesOverHbone(source, destination, protocol) ? new PortProtocol(MeshApi.HbonePort, Protocol.TCP) : new PortProtocol(port, protocol);

    /// <summary>The destination node proxy's decision for a connection from <paramref name="from"/> to <paramref name="to"/>'s <paramref name="port"/>.</summary>
    public MeshVerdict Authorize(PolicyEndpoint from, Pod to, int port, Protocol protocol)
    {
        if (protocol != Protocol.TCP || !IsMeshed(to))
        {
            return MeshVerdict.NotInMesh;
        }

        var source = from.Pod is { } pod && IsMeshed(pod) ? new WorkloadIdentity(pod.Namespace, ServiceAccountOf(pod)) : null;
        return AuthorizePeer(source, from.Address, to, port);
    }

    /// <summary>
    /// What a live node proxy asks: the decision for a TCP connection to <paramref name="to"/>'s <paramref name="port"/>
    /// from a peer whose identity the proxy verified itself (the SPIFFE ID of the client certificate it accepted on
    /// HBONE), or from plaintext (<paramref name="peer"/> null) with <paramref name="address"/> as its source.
    /// </summary>
    public MeshVerdict AuthorizePeer(WorkloadIdentity? peer, IPAddress? address, Pod to, int port)
    {
        if (!IsMeshed(to))
        {
            return MeshVerdict.NotInMesh;
        }

        var (mode, setBy) = EffectiveMode(to, port);
        var verdict = new MeshVerdict
        {
            Outcome = MeshOutcome.NoAllowPolicy,
            Mtls = peer is not null,
            SourceIdentity = peer?.SpiffeId,
            DestinationIdentity = IdentityOf(to),
            Mode = mode,
            ModeSetBy = setBy,
        };
        if (peer is null && mode == MtlsMode.Strict)
        {
            return verdict with { Outcome = MeshOutcome.PlaintextRefused };
        }

        var matched = new Peer(peer?.Principal, peer?.Namespace, address);
        var policies = PoliciesFor(to);
        foreach (var policy in policies.Where(p => p.Action == AuthorizationAction.Deny))
        {
            for (var r = 0; r < policy.Rules.Count; r++)
            {
                // A DENY rule is enforced without its HTTP attributes: it denies more than written, never less.
                if (Matches(policy.Rules[r], matched, port))
                {
                    return verdict with { Outcome = MeshOutcome.DeniedByPolicy, DecidedBy = new MeshRuleRef(policy.QualifiedName, r, AuthorizationAction.Deny) };
                }
            }
        }

        var allow = policies.Where(p => p.Action == AuthorizationAction.Allow).ToList();
        if (allow.Count == 0)
        {
            return verdict;
        }

        var skipped = ImmutableArray.CreateBuilder<MeshRuleRef>();
        foreach (var policy in allow)
        {
            for (var r = 0; r < policy.Rules.Count; r++)
            {
                // An ALLOW rule with HTTP attributes never matches at the node proxy (Istio omits it).
                if (policy.Rules[r].HasL7)
                {
                    skipped.Add(new MeshRuleRef(policy.QualifiedName, r, AuthorizationAction.Allow));
                    continue;
                }

                if (Matches(policy.Rules[r], matched, port))
                {
                    return verdict with
                    {
                        Outcome = MeshOutcome.AllowedByPolicy,
                        DecidedBy = new MeshRuleRef(policy.QualifiedName, r, AuthorizationAction.Allow),
                        SkippedL7Rules = skipped.ToImmutable(),
                    };
                }
            }
        }

        return verdict with
        {
            Outcome = MeshOutcome.NoAllowRuleMatched,
            AllowPolicies = [.. allow.Select(p => p.QualifiedName)],
            SkippedL7Rules = skipped.ToImmutable(),
        };
    }

    /// <summary>
    /// The AuthorizationPolicies that apply to a pod, in namespace then name order: those of its namespace and of the
    /// root namespace, without a selector or with one whose labels the pod carries. A policy with <c>targetRefs</c> is
    /// the waypoint's (<see cref="AuthorizeAtWaypoint"/>), never the node proxy's.
    /// </summary>
    public ImmutableArray<AuthorizationPolicy> PoliciesFor(Pod pod)
    {
        return _policiesByPod.GetOrAdd(pod.QualifiedName, _ => [.. _cluster.AuthorizationPolicies.Where(p => !p.AtWaypoint &&
            (p.Namespace == pod.Namespace || p.Namespace == MeshApi.RootNamespace) && (p.Selector is null || Selects(p.Selector, pod)))]);
    }

    /// <summary>
    /// The mTLS mode on a pod's port, as ztunnel resolves it: the mesh-wide policy (root namespace, no selector), then
    /// the namespace's (no selector), then the workload's (a selector in the pod's namespace) and its port-level entry,
    /// each overriding the wider one unless UNSET; of two policies at one level the oldest wins (then the first by name).
    /// DISABLE reads as PERMISSIVE: the node proxies always speak mTLS to each other. Returns the mode and the policy that set it.
    /// </summary>
    public (MtlsMode Mode, string? SetBy) EffectiveMode(Pod pod, int port)
    {
        var mode = (Mode: MtlsMode.Permissive, SetBy: (string?)null);
        var mesh = Oldest(_cluster.PeerAuthentications.Where(p => p.Namespace == MeshApi.RootNamespace && p.Selector is null));
        var ns = pod.Namespace == MeshApi.RootNamespace ? null : Oldest(_cluster.PeerAuthentications.Where(p => p.Namespace == pod.Namespace && p.Selector is null));
        var workload = pod.Namespace == MeshApi.RootNamespace ? null : Oldest(_cluster.PeerAuthentications.Where(p => p.Namespace == pod.Namespace && p.Selector is { } s && Selects(s, pod)));
        foreach (var policy in new[] { mesh, ns, workload })
        {
            if (policy is not null && policy.Mode != MtlsMode.Unset)
            {
                mode = (policy.Mode, policy.QualifiedName);
            }
        }

        if (workload?.PortLevel.FirstOrDefault(p => p.Port == port) is { Mode: not MtlsMode.Unset } portLevel)
        {
            mode = (portLevel.Mode, $"{workload.QualifiedName} (port {port})");
        }

        return (mode.Mode == MtlsMode.Strict ? MtlsMode.Strict : MtlsMode.Permissive, mode.SetBy);
    }

    private static PeerAuthentication? Oldest(IEnumerable<PeerAuthentication> policies) =>
        policies.OrderBy(p => p.Meta.CreationTimestamp ?? DateTimeOffset.MinValue).ThenBy(p => p.QualifiedName, StringComparer.Ordinal).FirstOrDefault();

    private static bool Selects(Labels selector, Pod pod) =>
        selector.All(label => pod.Labels.TryGetValue(label.Key, out var value) && value == label.Value);
}
