using System.Collections.Immutable;
using System.Net;
using CsCheck;
using Maille.Model;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>
/// CsCheck generators for <see cref="PolicyWorld"/>s, from a vocabulary small enough that selectors, ipBlocks and
/// named ports often hit: label keys app/tier/team with values 1/2, namespace names x/y/z, port names http/dns/alt.
/// </summary>
internal static class PolicyWorldGen
{
    private static readonly string[] NamespaceNames = ["x", "y", "z"];

    private static readonly Gen<KeyValuePair<string, string>> Label =
        from key in Gen.OneOfConst("app", "tier", "team")
        from value in Gen.OneOfConst("1", "2")
        select KeyValuePair.Create(key, value);

    private static readonly Gen<Labels> LabelSet =
        Label.Array[0, 3].Select(labels => Labels.From(labels.GroupBy(l => l.Key).Select(g => g.First())));

    private static readonly Gen<LabelSelectorRequirement> Requirement =
        from key in Gen.OneOfConst("app", "tier", "team", Namespace.NameLabel)
        from op in Gen.Enum<SelectorOperator>()
        from values in (key == Namespace.NameLabel ? Gen.OneOfConst(NamespaceNames) : Gen.OneOfConst("1", "2")).Array[1, 2]
        select new LabelSelectorRequirement(
            key,
            op,
            op is SelectorOperator.Exists or SelectorOperator.DoesNotExist ? EquatableArray<string>.Empty : new EquatableArray<string>(values.Distinct()),
            op.ToString());

    private static readonly Gen<LabelSelector> Selector =
        from labels in Label.Array[0, 1]
        from expressions in Requirement.Array[0, 1]
        select new LabelSelector { MatchLabels = Labels.From(labels), MatchExpressions = expressions };

    private static readonly string[] Cidrs = ["10.0.0.0/24", "10.0.0.0/16", "10.0.1.0/25", "0.0.0.0/0", "10.1.0.0/24", "10.0.0.4/30", "10.0.1.3/24", "10.0.0.2/32"];

    private static readonly string[] Excepts = ["10.0.0.3/32", "10.0.1.0/30", "10.0.0.0/29", "10.1.0.1/32", "10.0.1.128/25", "10.0.0.128/25"];

    private static readonly Gen<IpBlock> Block =
        from cidr in Gen.OneOfConst(Cidrs)
        from except in Gen.OneOfConst(Excepts).Array[0, 2]
        let network = IpBlock.TryParse(cidr)!.Value
        select new IpBlock(cidr, new EquatableArray<string>(except.Distinct().Where(e => IpMath.IsSubsetOf(IpBlock.TryParse(e)!.Value, network))));

    private static readonly Gen<NetworkPolicyPeer> Peer =
        from kind in Gen.Int[0, 3]
        from pods in Selector
        from namespaces in Selector
        from block in Block
        select kind switch
        {
            0 => new NetworkPolicyPeer { PodSelector = pods },
            1 => new NetworkPolicyPeer { NamespaceSelector = namespaces },
            2 => new NetworkPolicyPeer { PodSelector = pods, NamespaceSelector = namespaces },
            _ => new NetworkPolicyPeer { IpBlock = block },
        };

    private static readonly Gen<NetworkPolicyPort> Port =
        from protocol in Gen.OneOfConst(Protocol.TCP, Protocol.TCP, Protocol.UDP, Protocol.SCTP)
        from kind in Gen.Int[0, 3]
        from number in Gen.OneOfConst(53, 80, 81, 8080)
        from extra in Gen.Int[0, 2]
        from name in Gen.OneOfConst("http", "dns", "alt", "nope")
        select kind switch
        {
            0 => new NetworkPolicyPort(protocol, null, null),
            1 => new NetworkPolicyPort(protocol, PortRef.FromNumber(number), null),
            2 => new NetworkPolicyPort(protocol, PortRef.FromNumber(number), number + extra),
            _ => new NetworkPolicyPort(protocol, PortRef.FromName(name), null),
        };

    private static readonly Gen<NetworkPolicyRule> Rule =
        from peers in Peer.Array[0, 2]
        from ports in Port.Array[0, 2]
        select new NetworkPolicyRule { Peers = peers, Ports = ports };

    private static readonly Gen<Func<int, Model.NetworkPolicy>> Policy =
        from ns in Gen.OneOfConst(NamespaceNames)
        from selector in Selector
        from types in Gen.OneOfConst<PolicyDirection?>(null, PolicyDirection.Ingress, PolicyDirection.Egress, PolicyDirection.Ingress | PolicyDirection.Egress)
        from ingress in Rule.Array[0, 2]
        from egress in Rule.Array[0, 2]
        select (Func<int, Model.NetworkPolicy>)(i => new Model.NetworkPolicy
        {
            Meta = new ObjectMeta { Name = "p" + i, Namespace = ns },
            PodSelector = selector,
            DeclaredPolicyTypes = types,
            Ingress = ingress,
            Egress = egress,
        });

    private static readonly Gen<ContainerPort[]> ContainerPorts =
        from http in Gen.OneOfConst(80, 8080)
        from hasDns in Gen.Bool
        from dnsProtocol in Gen.OneOfConst(Protocol.UDP, Protocol.TCP)
        from hasAlt in Gen.Bool
        select new[] { new ContainerPort("http", http, Protocol.TCP) }
            .Concat(hasDns ? [new ContainerPort("dns", 53, dnsProtocol)] : [])
            .Concat(hasAlt ? [new ContainerPort("alt", 81, Protocol.TCP)] : [])
            .ToArray();

    private static readonly Gen<Func<int, Pod>> PodGen =
        from ns in Gen.OneOfConst(NamespaceNames)
        from labels in LabelSet
        from ports in ContainerPorts
        from secondSubnet in Gen.Bool
        from node in Gen.Int[1, 2]
        from hostNetwork in Gen.Int[0, 9]
        select (Func<int, Pod>)(i => new Pod
        {
            Meta = new ObjectMeta { Name = "p" + i, Namespace = ns, Labels = labels },
            Spec = new PodSpec
            {
                Containers = new[] { new Container { Name = "c", Ports = ports } },
                NodeName = "node-" + node,
                HostNetwork = hostNetwork == 0,
            },
            Status = new PodStatus
            {
                PodIP = hostNetwork == 0 ? IPAddress.Parse("10.1.0." + node) : IPAddress.Parse($"10.0.{(secondSubnet ? 1 : 0)}.{i + 1}"),
            },
        });

    public static Gen<PolicyWorld> World { get; } =
        from namespaceLabels in LabelSet.Array[3]
        from pods in PodGen.Array[1, 6]
        from policies in Policy.Array[0, 4]
        select new PolicyWorld(
            [.. NamespaceNames.Select((name, i) => new Namespace { Meta = new ObjectMeta { Name = name, Labels = namespaceLabels[i].With(Namespace.NameLabel, name) } })],
            [.. pods.Select((make, i) => make(i))],
            [.. policies.Select((make, i) => make(i))]);

    /// <summary>Like <see cref="World"/> with 60 to 130 pods and up to 12 policies (the matrix's multi-word bitsets).</summary>
    public static Gen<PolicyWorld> LargeWorld { get; } =
        from namespaceLabels in LabelSet.Array[3]
        from pods in PodGen.Array[60, 130]
        from policies in Policy.Array[0, 12]
        select new PolicyWorld(
            [.. NamespaceNames.Select((name, i) => new Namespace { Meta = new ObjectMeta { Name = name, Labels = namespaceLabels[i].With(Namespace.NameLabel, name) } })],
            [.. pods.Select((make, i) => make(i))],
            [.. policies.Select((make, i) => make(i))]);

    /// <summary>The ports every generated case is asked about.</summary>
    public static ImmutableArray<(int Port, Protocol Protocol)> Questions { get; } =
        [(53, Protocol.UDP), (53, Protocol.TCP), (80, Protocol.TCP), (81, Protocol.TCP), (82, Protocol.TCP), (8080, Protocol.TCP), (80, Protocol.SCTP), (81, Protocol.UDP)];
}
