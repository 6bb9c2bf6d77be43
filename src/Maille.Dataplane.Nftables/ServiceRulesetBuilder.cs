using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Maille.Engine.ServiceProxy;
using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// Turns a <see cref="NodeServicePlan"/> into the node's <c>table ip maille-svc</c>. Pure. The layout, and why it is
/// shared typed maps rather than kube-proxy's anonymous verdict map per Service, is in docs/services-dataplane.md:
/// <list type="bullet">
/// <item><c>service-ips</c> maps every captured (address, protocol, port) to a chain shared by all Services of the
/// same kind and endpoint count (<c>internal-3</c>, <c>external-3</c>, <c>external-local-1</c>), or to reject/drop;</item>
/// <item>that chain marks for masquerade as the policy says, then translates with one lookup in its typed map
/// <c>internal-endpoints-N</c> keyed by (address, protocol, port, <c>numgen random mod N</c>).</item>
/// </list>
/// </summary>
public static class ServiceRulesetBuilder
{
    public const string Family = "ip";
    public const string Table = "maille-svc";

    /// <summary>The packet mark bit that asks <c>masquerading</c> to masquerade (kube-proxy's default bit, 0x4000).</summary>
    public const uint MasqueradeBit = 0x4000;

    public const string ServiceIps = "service-ips";
    public const string ClusterServiceIps = "cluster-service-ips";
    public const string AffinityIps = "affinity-ips";
    public const string LocalAffinityIps = "local-affinity-ips";
    public const string ClusterIps = "cluster-ips";
    public const string FirewallIps = "firewall-ips";
    public const string FirewallAllow = "firewall-allow";
    public const string Hairpin = "hairpin";

    public const string NatPrerouting = "nat-prerouting";
    public const string NatOutput = "nat-output";
    public const string NatPostrouting = "nat-postrouting";
    public const string Services = "services";
    public const string MarkForMasquerade = "mark-for-masquerade";
    public const string Masquerading = "masquerading";
    public const string RejectChain = "reject-chain";

    private const string ServiceKeyType = "ipv4_addr . inet_proto . inet_service";

    /// <summary>The node's whole table for <paramref name="plan"/>.</summary>
    public static NftRuleset Build(NodeServicePlan plan)
    {
        var state = new ServiceRulesetState();
        state.Commit(state.Prepare(plan));
        return state.Ruleset();
    }

    /// <summary>The sets and maps every table has, empty (elements come from the ports).</summary>
    public static IReadOnlyList<NftSet> FixedSets() =>
    [
        Declare(ServiceIps, $"type {ServiceKeyType} : verdict"),
        Declare(ClusterServiceIps, $"type {ServiceKeyType} : verdict"),
        Declare(AffinityIps, $"type {ServiceKeyType} : verdict"),
        Declare(LocalAffinityIps, $"type {ServiceKeyType} : verdict"),
        Declare(ClusterIps, "type ipv4_addr"),
        Declare(FirewallIps, $"type {ServiceKeyType}"),
        Declare(FirewallAllow, $"type {ServiceKeyType} . ipv4_addr; flags interval"),
        Declare(Hairpin, "type ipv4_addr . ipv4_addr"),
    ];

    /// <summary>The chains every table has: the hooks, dispatch, masquerading and rejecting.</summary>
    public static IReadOnlyList<NftChain> FixedChains(NodeServicePlan context)
    {
        var key = NftFields.ServiceKey;
        return
        [
            new NftChain(NatPrerouting, new NftHook("nat", "prerouting", NftHook.DestinationNatPriority), Rules(NftRule.Of(Jump(Services)))),
            new NftChain(NatOutput, new NftHook("nat", "output", NftHook.DestinationNatPriority), Rules(NftRule.Of(Jump(Services)))),
            new NftChain(NatPostrouting, new NftHook("nat", "postrouting", NftHook.SourceNatPriority), Rules(NftRule.Of(Jump(Masquerading)))),
            new NftChain(Services, null, Rules(
                NftRule.Of(
                    new NftSetMatch(key, FirewallIps),
                    new NftSetMatch(new[] { NftField.DestinationAddress, NftField.Protocol, NftField.DestinationPort, NftField.SourceAddress }, FirewallAllow, Negated: true),
                    new NftVerdictStatement(NftVerdict.Drop),
                    "loadBalancerSourceRanges"),
                NftRule.Of(new NftVerdictMapStatement(key, ServiceIps)),
                NftRule.Of(new NftSetMatch(new[] { NftField.DestinationAddress }, ClusterIps), Goto(RejectChain), "no such port on this ClusterIP"),
                NftRule.Of(new NftValueMatch(NftField.DestinationAddress, context.ServiceCidr.ToString()), new NftVerdictStatement(NftVerdict.Drop), "no Service has this address"))),
            new NftChain(MarkForMasquerade, null, Rules(NftRule.Of(new NftMarkStatement(MasqueradeBit, Set: true)))),
            new NftChain(Masquerading, null, Rules(
                NftRule.Of(
                    new NftValueMatch(NftField.ConntrackStatus, "dnat"),
                    new NftSetMatch(new[] { NftField.SourceAddress, NftField.DestinationAddress }, Hairpin),
                    new NftMasqueradeStatement(),
                    "hairpin: a pod reached itself through a Service"),
                NftRule.Of(new NftMarkMatch(MasqueradeBit, IsSet: false), new NftVerdictStatement(NftVerdict.Return)),
                NftRule.Of(new NftMarkStatement(MasqueradeBit, Set: false)),
                NftRule.Of(new NftMasqueradeStatement()))),
            new NftChain(RejectChain, null, Rules(
                NftRule.Of(new NftValueMatch(NftField.Protocol, "tcp"), new NftRejectStatement(TcpReset: true)),
                NftRule.Of(new NftRejectStatement(TcpReset: false)))),
        ];
    }

    /// <summary>
    /// The chain a shared object name (<c>chain:internal-3</c>) stands for, with the typed map it translates through
    /// (<c>internal-endpoints-3</c>; none for <c>-0</c> and <c>-affinity</c> chains). A chain and its map are always
    /// created in one transaction: nftables 1.0.6 cannot add a rule that uses a <c>typeof</c> map with <c>th dport</c>
    /// in its key once that map is in the kernel ("conflicting protocols specified: ip vs. th").
    /// </summary>
    public static (NftChain Chain, NftSet? Map) SharedObject(string name, NodeServicePlan context)
    {
        var chain = name[(name.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var pick = chain[(chain.LastIndexOf('-') + 1)..];
        var map = int.TryParse(pick, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? DeclaredSet(EndpointMap(chain))
            : null;
        return (KindChain(chain, context), map);
    }

    /// <summary>The declaration of a fixed set or a shared endpoint map, by name; null for a Service's own sets.</summary>
    public static NftSet? DeclaredSet(string name)
    {
        if (FixedSets().FirstOrDefault(s => s.Name == name) is { } set)
        {
            return set;
        }

        var dash = name.LastIndexOf('-');
        return name.Contains("-endpoints-", StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? Declare(name, string.Create(CultureInfo.InvariantCulture, $"typeof ip daddr . meta l4proto . th dport . numgen random mod {count} : ip daddr . th dport"))
            : null;
    }

    /// <summary>The typed map of a shared chain: <c>internal-3</c> → <c>internal-endpoints-3</c>.</summary>
    public static string EndpointMap(string chain)
    {
        var dash = chain.LastIndexOf('-');
        return $"{chain[..dash]}-endpoints-{chain[(dash + 1)..]}";
    }

    /// <summary>What <paramref name="port"/> adds to the table of the node <paramref name="context"/> plans.</summary>
    public static ServicePortRules PortRules(NodeServicePlan context, ServicePortPlan port)
    {
        if (!port.KernelSupported)
        {
            return ServicePortRules.Empty(port.Id);
        }

        var rules = new PortRulesWriter(port);
        rules.Hairpins();
        var protocol = port.Protocol.ToString().ToLowerInvariant();
        var clusterEntry = Key(port.ClusterIP, protocol, port.Port);
        rules.Element(ClusterIps, NftElement.Member(port.ClusterIP.ToString()));
        var internalList = port.InternalEndpoints;
        if (context.ClusterIPAtSocket)
        {
            // The socket hooks translated every ClusterIP connection of the node's processes; what still carries one
            // was refused there, or left to be dropped (internalTrafficPolicy Local, no endpoint here).
            rules.Element(ServiceIps, new NftElement(clusterEntry, Verdict: NftVerdict.Drop));
        }
        else if (internalList.IsEmpty)
        {
            rules.Element(ServiceIps, new NftElement(clusterEntry, Verdict: EmptyVerdict(port)));
        }
        else
        {
            rules.Element(ServiceIps, new NftElement(clusterEntry, Verdict: NftVerdict.Goto(rules.Pick("internal", clusterEntry, localList: port.InternalTrafficLocal))));
        }

        foreach (var (address, number, isLoadBalancer) in ExternalEntries(context, port))
        {
            if (context.ClusterIPAtSocket && port.HasEndpoints && !(isLoadBalancer && !port.SourceRanges.IsEmpty))
            {
                // The ebpf data plane translates this address at the sockets of the node's processes and, for
                // connections from outside the node, at tc on its interface (maille_nodeport). What it leaves here: the
                // reject of a port without endpoints, and the LoadBalancer IPs whose source ranges this table enforces.
                continue;
            }

            var entry = Key(address, protocol, number);
            if (isLoadBalancer && !port.SourceRanges.IsEmpty)
            {
                rules.Element(FirewallIps, new NftElement(entry));
                foreach (var range in port.SourceRanges)
                {
                    rules.Element(FirewallAllow, new NftElement(entry + NftElement.Separator + range));
                }
            }

            if (!port.HasEndpoints)
            {
                rules.Element(ServiceIps, new NftElement(entry, Verdict: NftVerdict.Goto(RejectChain)));
            }
            else if (!port.ExternalTrafficLocal)
            {
                rules.Element(ServiceIps, new NftElement(entry, Verdict: NftVerdict.Goto(rules.Pick("external", entry, localList: false))));
            }
            else
            {
                var localChain = port.LocalEndpoints.IsEmpty ? rules.Shared("chain:external-local-0") : rules.Pick("external-local", entry, localList: true);
                rules.Element(ServiceIps, new NftElement(entry, Verdict: NftVerdict.Goto(localChain)));
                var clusterTarget = port.ClusterEndpoints.IsEmpty ? RejectChain : rules.Pick("internal", entry, localList: false);
                rules.Element(ClusterServiceIps, new NftElement(entry, Verdict: NftVerdict.Goto(clusterTarget)));
            }
        }

        return rules.Result();
    }

    private static NftVerdict EmptyVerdict(ServicePortPlan port) =>
        port.WhenEmpty == EmptyServiceVerdict.Reject ? NftVerdict.Goto(RejectChain) : NftVerdict.Drop;

    /// <summary>The NodePort on the node's address, then LoadBalancer IPs, then externalIPs.</summary>
    private static IEnumerable<(IPAddress Address, int Port, bool IsLoadBalancer)> ExternalEntries(NodeServicePlan context, ServicePortPlan port)
    {
        if (port.NodePort is { } nodePort && context.NodeAddress is { } nodeAddress)
        {
            yield return (nodeAddress, nodePort, false);
        }

        foreach (var address in port.LoadBalancerIPs)
        {
            yield return (address, port.Port, true);
        }

        foreach (var address in port.ExternalIPs.Where(a => !port.LoadBalancerIPs.Contains(a)))
        {
            yield return (address, port.Port, false);
        }
    }

    /// <summary>
    /// A shared chain by name: <c>internal-N</c> (ClusterIP), <c>external-N</c> (external, Cluster policy),
    /// <c>external-local-N</c> (external, Local policy, N endpoints on this node), or the <c>-affinity</c> forms.
    /// </summary>
    private static NftChain KindChain(string name, NodeServicePlan context)
    {
        var key = NftFields.ServiceKey;
        var pods = context.ClusterCidr.ToString();
        var (kind, pick) = name.StartsWith("external-local-", StringComparison.Ordinal) ? ("external-local", name["external-local-".Length..])
            : name.StartsWith("external-", StringComparison.Ordinal) ? ("external", name["external-".Length..])
            : ("internal", name["internal-".Length..]);
        var local = kind == "external-local";
        NftRule Select() => pick == "affinity"
            ? NftRule.Of(new NftVerdictMapStatement(key, local ? LocalAffinityIps : AffinityIps))
            : pick == "0"
                ? NftRule.Of(new NftVerdictStatement(NftVerdict.Drop), "externalTrafficPolicy Local and no endpoint on this node")
                : NftRule.Of(new NftDnatMapStatement(key, int.Parse(pick, CultureInfo.InvariantCulture), EndpointMap(name)));
        return kind switch
        {
            "internal" => new NftChain(name, null, Rules(
                NftRule.Of(new NftValueMatch(NftField.SourceAddress, pods, Negated: true), Jump(MarkForMasquerade), "ClusterIP traffic from outside the pod network is masqueraded"),
                Select())),
            "external" => new NftChain(name, null, Rules(
                NftRule.Of(Jump(MarkForMasquerade), "externalTrafficPolicy Cluster masquerades"),
                Select())),
            _ => new NftChain(name, null, Rules([
                .. context.LocalPodCidr is { } localPods
                    ? [NftRule.Of(new NftValueMatch(NftField.SourceAddress, localPods.ToString()), new NftVerdictMapStatement(key, ClusterServiceIps), "this node's pods reach external addresses with the Cluster policy")]
                    : Array.Empty<NftRule>(),
                NftRule.Of(new NftValueMatch(NftField.SourceAddressType, "local"), Jump(MarkForMasquerade)),
                NftRule.Of(new NftValueMatch(NftField.SourceAddressType, "local"), new NftVerdictMapStatement(key, ClusterServiceIps), "so does the node itself, masqueraded"),
                Select()])),
        };
    }

    internal static string Key(IPAddress address, string protocol, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"{address} . {protocol} . {port}");

    internal static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];

    private static NftSet Declare(string name, string declaration) => new(name, declaration, EquatableArray<NftElement>.Empty);

    private static EquatableArray<NftRule> Rules(params NftRule[] rules) => rules;

    private static NftVerdictStatement Jump(string chain) => new(NftVerdict.Jump(chain));

    private static NftVerdictStatement Goto(string chain) => new(NftVerdict.Goto(chain));
}
