using Maille.Model;

namespace Maille.TestKit;

/// <summary>
/// The 24 conformance tests of kubernetes-sigs/network-policy-api (v1alpha2 ClusterNetworkPolicy, conformance/tests),
/// re-expressed once for every way Maille runs them: one method per upstream test (named by its ShortName), its
/// subtests as cases in upstream order, each change to a policy kept for the cases after it as upstream's patches are.
/// <c>open</c> makes the world a test runs in (the engine's and rendered rules' in Maille.Engine.Tests and
/// Maille.Dataplane.Nftables.Tests, real packets in Maille.Lab.Tests). The host-network ports are 34345-34352
/// (upstream picks them at run time).
/// </summary>
internal static class ConformanceSuite
{
    /// <summary>Every test, by its upstream ShortName, in the order of this file.</summary>
    public static readonly IReadOnlyList<ConformanceTest> All =
    [
        new("CNPAdminTierEgressNamedPort", CNPAdminTierEgressNamedPort),
        new("CNPAdminTierEgressNodePeers", CNPAdminTierEgressNodePeers),
        new("CNPAdminTierIngressNamedPort", CNPAdminTierIngressNamedPort),
        new("CNPAdminTierEgressInlineCIDRPeers", CNPAdminTierEgressInlineCIDRPeers),
        new("CNPAdminTierEgressSCTP", CNPAdminTierEgressSCTP),
        new("CNPAdminTierEgressTCP", CNPAdminTierEgressTCP),
        new("CNPAdminTierEgressUDP", CNPAdminTierEgressUDP),
        new("CNPAdminTierGress", CNPAdminTierGress),
        new("CNPAdminTierIngressSCTP", CNPAdminTierIngressSCTP),
        new("CNPAdminTierIngressTCP", CNPAdminTierIngressTCP),
        new("CNPAdminTierIngressUDP", CNPAdminTierIngressUDP),
        new("CNPAdminTierIntegration", CNPAdminTierIntegration),
        new("CNPAdminTierPriorityField", CNPAdminTierPriorityField),
        new("CNPBaselineTierEgressNamedPort", CNPBaselineTierEgressNamedPort),
        new("CNPBaselineTierEgressNodePeers", CNPBaselineTierEgressNodePeers),
        new("CNPBaselineTierIngressNamedPort", CNPBaselineTierIngressNamedPort),
        new("CNPBaselineTierEgressInlineCIDRPeers", CNPBaselineTierEgressInlineCIDRPeers),
        new("CNPBaselineTierEgressSCTP", CNPBaselineTierEgressSCTP),
        new("CNPBaselineTierEgressTCP", CNPBaselineTierEgressTCP),
        new("CNPBaselineTierEgressUDP", CNPBaselineTierEgressUDP),
        new("CNPBaselineTierGress", CNPBaselineTierGress),
        new("CNPBaselineTierIngressSCTP", CNPBaselineTierIngressSCTP),
        new("CNPBaselineTierIngressTCP", CNPBaselineTierIngressTCP),
        new("CNPBaselineTierIngressUDP", CNPBaselineTierIngressUDP),
    ];

    /// <summary>CNPAdminTierEgressNamedPort (admin-network-policy-experimental-egress-rules.go).</summary>
    public static void CNPAdminTierEgressNamedPort(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.AdminTierStandardEgressTcpRules());
        world.Case("Should support an 'allow-egress' policy for named port");
        world.SetPorts("egress-tcp", PolicyDirection.Egress, 5, ClusterPolicyPort.Named("web"));
        world.Expect("gryffindor/harry-potter-0", "hufflepuff/cedric-diggory-1", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 8080, Protocol.TCP, false);
    }

    /// <summary>CNPAdminTierEgressNodePeers (admin-network-policy-experimental-egress-rules.go).</summary>
    public static void CNPAdminTierEgressNodePeers(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.AdminTierExperimentalEgressSelectorRules());
        world.Case("Should support an 'allow-egress' rule policy for egress-node-peer");
        world.Expect("gryffindor/harry-potter-1", "forbidden-forrest/centaur-1", 34345, Protocol.TCP, true);
        world.Case("Should support a 'pass-egress' rule policy for egress-node-peer");
        world.Expect("gryffindor/harry-potter-1", "forbidden-forrest/centaur-1", 34347, Protocol.UDP, true);
        world.Case("Should support a 'deny-egress' rule policy for egress-node-peer");
        world.Expect("gryffindor/harry-potter-1", "forbidden-forrest/centaur-1", 34346, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "forbidden-forrest/centaur-1", 34349, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "forbidden-forrest/centaur-1", 34351, Protocol.SCTP, false);
    }

    /// <summary>CNPAdminTierIngressNamedPort (admin-network-policy-experimental-ingress-rules.go).</summary>
    public static void CNPAdminTierIngressNamedPort(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.AdminTierStandardIngressUdpRules());
        world.Case("Should support an 'allow-ingress' policy for named port");
        world.SetPorts("ingress-udp", PolicyDirection.Ingress, 5, ClusterPolicyPort.Named("dns"));
        world.Expect("gryffindor/harry-potter-0", "hufflepuff/cedric-diggory-1", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 5353, Protocol.UDP, false);
    }

    /// <summary>CNPAdminTierEgressInlineCIDRPeers (admin-network-policy-standard-egress-inline-cidr-rules.go).</summary>
    public static void CNPAdminTierEgressInlineCIDRPeers(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.AdminTierStandardEgressInlineCidrRules());
        world.Case("Should support a 'deny-egress' rule policy for egress-cidr-peer");
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 9003, Protocol.SCTP, false);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-0", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-0", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-0", 9003, Protocol.SCTP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 9003, Protocol.SCTP, true);
        world.RelabelNamespace("slytherin", "denied-namespace-label");
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 9003, Protocol.SCTP, false);
        world.RelabelNamespace("slytherin", "slytherin");
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 9003, Protocol.SCTP, true);
        world.Case("Should support an 'allow-egress' rule policy for egress-cidr-peer");
        world.PrependEgress("inline-cidr-as-peers-example", "allow-egress-to-specific-podIPs", ClusterPolicyAction.Accept, world.Cidr("ravenclaw/luna-lovegood-0"), world.Cidr("hufflepuff/cedric-diggory-0"));
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 9003, Protocol.SCTP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-0", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-0", 9003, Protocol.SCTP, true);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-1", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-1", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-1", 9003, Protocol.SCTP, false);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 9003, Protocol.SCTP, false);
    }

    /// <summary>CNPAdminTierEgressSCTP (admin-network-policy-standard-egress-sctp-rules.go).</summary>
    public static void CNPAdminTierEgressSCTP(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.AdminTierStandardEgressSctpRules());
        world.Case("Should support an 'allow-egress' policy for SCTP protocol; ensure rule ordering is respected");
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-0", 9003, Protocol.SCTP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-0", 9005, Protocol.SCTP, true);
        world.Case("Should support an 'allow-egress' policy for SCTP protocol at the specified port");
        world.Expect("ravenclaw/luna-lovegood-0", "hufflepuff/cedric-diggory-1", 9003, Protocol.SCTP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "hufflepuff/cedric-diggory-1", 9005, Protocol.SCTP, false);
        world.Case("Should support an 'deny-egress' policy for SCTP protocol; ensure rule ordering is respected");
        world.SwapRules("egress-sctp", PolicyDirection.Egress, 0, 1);
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-1", 9003, Protocol.SCTP, false);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-1", 9005, Protocol.SCTP, false);
        world.Case("Should support a 'deny-egress' policy for SCTP protocol at the specified port");
        world.Expect("ravenclaw/luna-lovegood-0", "slytherin/draco-malfoy-0", 9003, Protocol.SCTP, false);
        world.Expect("ravenclaw/luna-lovegood-1", "slytherin/draco-malfoy-0", 9005, Protocol.SCTP, true);
        world.Case("Should support an 'pass-egress' policy for SCTP protocol; ensure rule ordering is respected");
        world.SwapRules("egress-sctp", PolicyDirection.Egress, 0, 2);
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-1", 9003, Protocol.SCTP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-1", 9005, Protocol.SCTP, true);
        world.Case("Should support a 'pass-egress' policy for SCTP protocol at the specified port");
        world.SwapRules("egress-sctp", PolicyDirection.Egress, 3, 4);
        world.Expect("ravenclaw/luna-lovegood-0", "slytherin/draco-malfoy-0", 9003, Protocol.SCTP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "slytherin/draco-malfoy-0", 9005, Protocol.SCTP, true);
    }

    /// <summary>CNPAdminTierEgressTCP (admin-network-policy-standard-egress-tcp-rules.go).</summary>
    public static void CNPAdminTierEgressTCP(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.AdminTierStandardEgressTcpRules());
        world.Case("Should support an 'allow-egress' policy for TCP protocol; ensure rule ordering is respected");
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 8080, Protocol.TCP, true);
        world.Case("Should support an 'allow-egress' policy for TCP protocol at the specified port");
        world.Expect("gryffindor/harry-potter-0", "hufflepuff/cedric-diggory-1", 8080, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 80, Protocol.TCP, false);
        world.Case("Should support an 'deny-egress' policy for TCP protocol; ensure rule ordering is respected");
        world.SwapRules("egress-tcp", PolicyDirection.Egress, 0, 1);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-1", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-1", 8080, Protocol.TCP, false);
        world.Case("Should support a 'deny-egress' policy for TCP protocol at the specified port");
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 8080, Protocol.TCP, true);
        world.Case("Should support an 'pass-egress' policy for TCP protocol; ensure rule ordering is respected");
        world.SwapRules("egress-tcp", PolicyDirection.Egress, 0, 2);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 8080, Protocol.TCP, true);
        world.Case("Should support a 'pass-egress' policy for TCP protocol at the specified port");
        world.SwapRules("egress-tcp", PolicyDirection.Egress, 3, 4);
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 8080, Protocol.TCP, true);
    }

    /// <summary>CNPAdminTierEgressUDP (admin-network-policy-standard-egress-udp-rules.go).</summary>
    public static void CNPAdminTierEgressUDP(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.AdminTierStandardEgressUdpRules());
        world.Case("Should support an 'allow-egress' policy for UDP protocol; ensure rule ordering is respected");
        world.Expect("hufflepuff/cedric-diggory-0", "ravenclaw/luna-lovegood-0", 53, Protocol.UDP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "ravenclaw/luna-lovegood-0", 5353, Protocol.UDP, true);
        world.Case("Should support an 'allow-egress' policy for UDP protocol at the specified port");
        world.Expect("hufflepuff/cedric-diggory-0", "gryffindor/harry-potter-1", 53, Protocol.UDP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "gryffindor/harry-potter-1", 5353, Protocol.UDP, false);
        world.Case("Should support an 'deny-egress' policy for UDP protocol; ensure rule ordering is respected");
        world.SwapRules("egress-udp", PolicyDirection.Egress, 0, 1);
        world.Expect("hufflepuff/cedric-diggory-0", "ravenclaw/luna-lovegood-1", 53, Protocol.UDP, false);
        world.Expect("hufflepuff/cedric-diggory-1", "ravenclaw/luna-lovegood-1", 5353, Protocol.UDP, false);
        world.Case("Should support a 'deny-egress' policy for UDP protocol at the specified port");
        world.Expect("hufflepuff/cedric-diggory-0", "slytherin/draco-malfoy-0", 5353, Protocol.UDP, false);
        world.Expect("hufflepuff/cedric-diggory-1", "slytherin/draco-malfoy-0", 53, Protocol.UDP, true);
        world.Case("Should support an 'pass-egress' policy for UDP protocol; ensure rule ordering is respected");
        world.SwapRules("egress-udp", PolicyDirection.Egress, 0, 2);
        world.Expect("hufflepuff/cedric-diggory-0", "ravenclaw/luna-lovegood-1", 5353, Protocol.UDP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "ravenclaw/luna-lovegood-1", 53, Protocol.UDP, true);
        world.Case("Should support a 'pass-egress' policy for UDP protocol at the specified port");
        world.SwapRules("egress-udp", PolicyDirection.Egress, 3, 4);
        world.Expect("hufflepuff/cedric-diggory-0", "slytherin/draco-malfoy-0", 5353, Protocol.UDP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "slytherin/draco-malfoy-0", 53, Protocol.UDP, true);
    }

    /// <summary>CNPAdminTierGress (admin-network-policy-standard-gress-rules.go).</summary>
    public static void CNPAdminTierGress(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.AdminTierStandardGressRulesCombined());
        world.Case("Should support an 'allow-gress' policy across different protocols");
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-0", 9003, Protocol.SCTP, true);
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-0", 53, Protocol.UDP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-0", 9003, Protocol.SCTP, true);
        world.Case("Should support an 'allow-gress' policy across different protocols at the specified ports");
        world.Expect("gryffindor/harry-potter-0", "hufflepuff/cedric-diggory-1", 8080, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-0", "hufflepuff/cedric-diggory-1", 5353, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-0", "hufflepuff/cedric-diggory-1", 9003, Protocol.SCTP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 9005, Protocol.SCTP, false);
        world.Expect("hufflepuff/cedric-diggory-0", "gryffindor/harry-potter-1", 80, Protocol.TCP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "gryffindor/harry-potter-1", 8080, Protocol.TCP, false);
        world.Expect("hufflepuff/cedric-diggory-0", "gryffindor/harry-potter-1", 5353, Protocol.UDP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "gryffindor/harry-potter-1", 53, Protocol.UDP, false);
        world.Expect("hufflepuff/cedric-diggory-0", "gryffindor/harry-potter-1", 9003, Protocol.SCTP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "gryffindor/harry-potter-1", 9005, Protocol.SCTP, false);
        world.Case("Should support an 'deny-gress' policy across different protocols");
        world.SwapRules("gress-rules", PolicyDirection.Egress, 0, 1);
        world.SwapRules("gress-rules", PolicyDirection.Ingress, 0, 1);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-1", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-1", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-1", 9003, Protocol.SCTP, false);
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-1", 80, Protocol.TCP, false);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-1", 53, Protocol.UDP, false);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-1", 9003, Protocol.SCTP, false);
        world.Case("Should support a 'deny-gress' policy across different protocols at the specified ports");
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 8080, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 5353, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 9003, Protocol.SCTP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 9005, Protocol.SCTP, true);
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, false);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 8080, Protocol.TCP, true);
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 53, Protocol.UDP, false);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 5353, Protocol.UDP, true);
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 9003, Protocol.SCTP, false);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 9005, Protocol.SCTP, true);
        world.Case("Should support an 'pass-gress' policy across different protocols");
        world.SwapRules("gress-rules", PolicyDirection.Egress, 0, 2);
        world.SwapRules("gress-rules", PolicyDirection.Ingress, 0, 2);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-0", 5353, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-0", 9003, Protocol.SCTP, true);
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-0", 53, Protocol.UDP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-0", 9003, Protocol.SCTP, true);
        world.Case("Should support a 'pass-gress' policy across different protocols at the specified ports");
        world.SwapRules("gress-rules", PolicyDirection.Egress, 3, 4);
        world.SwapRules("gress-rules", PolicyDirection.Ingress, 3, 4);
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 8080, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 5353, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 9003, Protocol.SCTP, true);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 9005, Protocol.SCTP, true);
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, true);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 8080, Protocol.TCP, true);
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 53, Protocol.UDP, true);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 5353, Protocol.UDP, true);
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 9003, Protocol.SCTP, true);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 9005, Protocol.SCTP, true);
    }

    /// <summary>CNPAdminTierIngressSCTP (admin-network-policy-standard-ingress-sctp-rules.go).</summary>
    public static void CNPAdminTierIngressSCTP(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.AdminTierStandardIngressSctpRules());
        world.Case("Should support an 'allow-ingress' policy for SCTP protocol; ensure rule ordering is respected");
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-0", 9003, Protocol.SCTP, true);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 9005, Protocol.SCTP, true);
        world.Case("Should support an 'allow-ingress' policy for SCTP protocol at the specified port");
        world.Expect("hufflepuff/cedric-diggory-0", "ravenclaw/luna-lovegood-1", 9003, Protocol.SCTP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "ravenclaw/luna-lovegood-1", 9005, Protocol.SCTP, false);
        world.Case("Should support an 'deny-ingress' policy for SCTP protocol; ensure rule ordering is respected");
        world.SwapRules("ingress-sctp", PolicyDirection.Ingress, 0, 1);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-1", 9003, Protocol.SCTP, false);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-1", 9005, Protocol.SCTP, false);
        world.Case("Should support a 'deny-ingress' policy for SCTP protocol at the specified port");
        world.Expect("slytherin/draco-malfoy-0", "ravenclaw/luna-lovegood-0", 9003, Protocol.SCTP, false);
        world.Expect("slytherin/draco-malfoy-1", "ravenclaw/luna-lovegood-0", 9005, Protocol.SCTP, true);
        world.Case("Should support an 'pass-ingress' policy for SCTP protocol; ensure rule ordering is respected");
        world.SwapRules("ingress-sctp", PolicyDirection.Ingress, 0, 2);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-1", 9003, Protocol.SCTP, true);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-1", 9005, Protocol.SCTP, true);
        world.Case("Should support a 'pass-ingress' policy for SCTP protocol at the specified port");
        world.SwapRules("ingress-sctp", PolicyDirection.Ingress, 3, 4);
        world.Expect("slytherin/draco-malfoy-0", "ravenclaw/luna-lovegood-0", 9003, Protocol.SCTP, true);
        world.Expect("slytherin/draco-malfoy-1", "ravenclaw/luna-lovegood-0", 9005, Protocol.SCTP, true);
    }

    /// <summary>CNPAdminTierIngressTCP (admin-network-policy-standard-ingress-tcp-rules.go).</summary>
    public static void CNPAdminTierIngressTCP(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.AdminTierStandardIngressTcpRules());
        world.Case("Should support an 'allow-ingress' policy for TCP protocol; ensure rule ordering is respected");
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-0", 8080, Protocol.TCP, true);
        world.Case("Should support an 'allow-ingress' policy for TCP protocol at the specified port");
        world.Expect("hufflepuff/cedric-diggory-0", "gryffindor/harry-potter-1", 80, Protocol.TCP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "gryffindor/harry-potter-1", 8080, Protocol.TCP, false);
        world.Case("Should support an 'deny-ingress' policy for TCP protocol; ensure rule ordering is respected");
        world.SwapRules("ingress-tcp", PolicyDirection.Ingress, 0, 1);
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-1", 80, Protocol.TCP, false);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-1", 8080, Protocol.TCP, false);
        world.Case("Should support a 'deny-ingress' policy for TCP protocol at the specified port");
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, false);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 8080, Protocol.TCP, true);
        world.Case("Should support an 'pass-ingress' policy for TCP protocol; ensure rule ordering is respected");
        world.SwapRules("ingress-tcp", PolicyDirection.Ingress, 0, 2);
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-0", 8080, Protocol.TCP, true);
        world.Case("Should support a 'pass-ingress' policy for TCP protocol at the specified port");
        world.SwapRules("ingress-tcp", PolicyDirection.Ingress, 3, 4);
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, true);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 8080, Protocol.TCP, true);
    }

    /// <summary>CNPAdminTierIngressUDP (admin-network-policy-standard-ingress-udp-rules.go).</summary>
    public static void CNPAdminTierIngressUDP(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.AdminTierStandardIngressUdpRules());
        world.Case("Should support an 'allow-ingress' policy for UDP protocol; ensure rule ordering is respected");
        world.Expect("ravenclaw/luna-lovegood-0", "hufflepuff/cedric-diggory-0", 53, Protocol.UDP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "hufflepuff/cedric-diggory-0", 5353, Protocol.UDP, true);
        world.Case("Should support an 'allow-ingress' policy for UDP protocol at the specified port");
        world.Expect("gryffindor/harry-potter-0", "hufflepuff/cedric-diggory-1", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 5353, Protocol.UDP, false);
        world.Case("Should support an 'deny-ingress' policy for UDP protocol; ensure rule ordering is respected");
        world.SwapRules("ingress-udp", PolicyDirection.Ingress, 0, 1);
        world.Expect("ravenclaw/luna-lovegood-0", "hufflepuff/cedric-diggory-1", 53, Protocol.UDP, false);
        world.Expect("ravenclaw/luna-lovegood-1", "hufflepuff/cedric-diggory-1", 5353, Protocol.UDP, false);
        world.Case("Should support a 'deny-ingress' policy for UDP protocol at the specified port");
        world.Expect("slytherin/draco-malfoy-0", "hufflepuff/cedric-diggory-0", 5353, Protocol.UDP, false);
        world.Expect("slytherin/draco-malfoy-1", "hufflepuff/cedric-diggory-0", 53, Protocol.UDP, true);
        world.Case("Should support an 'pass-ingress' policy for UDP protocol; ensure rule ordering is respected");
        world.SwapRules("ingress-udp", PolicyDirection.Ingress, 0, 2);
        world.Expect("ravenclaw/luna-lovegood-0", "hufflepuff/cedric-diggory-1", 5353, Protocol.UDP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "hufflepuff/cedric-diggory-1", 53, Protocol.UDP, true);
        world.Case("Should support a 'pass-ingress' policy for UDP protocol at the specified port");
        world.SwapRules("ingress-udp", PolicyDirection.Ingress, 3, 4);
        world.Expect("slytherin/draco-malfoy-0", "hufflepuff/cedric-diggory-0", 5353, Protocol.UDP, true);
        world.Expect("slytherin/draco-malfoy-1", "hufflepuff/cedric-diggory-0", 53, Protocol.UDP, true);
    }

    /// <summary>CNPAdminTierIntegration (admin-network-policy-standard-integration.go).</summary>
    public static void CNPAdminTierIntegration(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.ApiIntegrationStandardAnpNpBanp());
        world.Case("Should Deny traffic from slytherin to gryffindor respecting admin CNP");
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, false);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 8080, Protocol.TCP, false);
        world.Case("Should Deny traffic to slytherin from gryffindor respecting admin CNP");
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 8080, Protocol.TCP, false);
        world.Case("Should support a 'pass-ingress' policy for admin CNP and respect the match for network policy");
        world.SetAction("pass-example", PolicyDirection.Ingress, 0, ClusterPolicyAction.Pass);
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, true);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 8080, Protocol.TCP, true);
        world.Case("Should support a 'pass-egress' policy for admin CNP and respect the match for network policy");
        world.SetAction("pass-example", PolicyDirection.Egress, 0, ClusterPolicyAction.Pass);
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 8080, Protocol.TCP, true);
        world.Case("Should support a 'pass-ingress' policy for admin CNP and respect the match for baseline cluster network policy");
        world.DeleteNetworkPolicy("gryffindor", "allow-gress-from-to-slytherin-to-gryffindor");
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, false);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 8080, Protocol.TCP, false);
        world.Case("Should support a 'pass-egress' policy for admin CNP and respect the match for baseline cluster network policy");
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 8080, Protocol.TCP, false);
    }

    /// <summary>CNPAdminTierPriorityField (admin-network-policy-standard-priority.go).</summary>
    public static void CNPAdminTierPriorityField(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.AdminTierStandardPriorityField());
        world.Case("Should Deny traffic from slytherin to gryffindor respecting admin CNP");
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, false);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 8080, Protocol.TCP, false);
        world.Case("Should Deny traffic to slytherin from gryffindor respecting admin CNP");
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 8080, Protocol.TCP, false);
        world.Case("Should respect admin CNP priority field; thus passing both ingress and egress traffic over to baseline CNP");
        world.SetPriority("old-priority-60-new-priority-40-example", 40);
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, true);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 8080, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 8080, Protocol.TCP, true);
    }

    /// <summary>CNPBaselineTierEgressNamedPort (baseline-admin-network-policy-experimental-egress-rules.go).</summary>
    public static void CNPBaselineTierEgressNamedPort(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.BaselineTierStandardEgressUdpRules());
        world.Case("Should support an 'allow-egress' policy for named port");
        world.SetPorts("default", PolicyDirection.Egress, 3, ClusterPolicyPort.Named("dns"));
        world.Expect("hufflepuff/cedric-diggory-0", "gryffindor/harry-potter-1", 53, Protocol.UDP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "gryffindor/harry-potter-1", 5353, Protocol.UDP, false);
    }

    /// <summary>CNPBaselineTierEgressNodePeers (baseline-admin-network-policy-experimental-egress-rules.go).</summary>
    public static void CNPBaselineTierEgressNodePeers(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.BaselineTierExperimentalEgressSelectorRules());
        world.Case("Should support an 'allow-egress' rule policy for egress-node-peer");
        world.Expect("gryffindor/harry-potter-0", "forbidden-forrest/centaur-1", 34345, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "forbidden-forrest/centaur-1", 34346, Protocol.TCP, true);
        world.Case("Should support a 'deny-egress' rule policy for egress-node-peer");
        world.Expect("gryffindor/harry-potter-1", "forbidden-forrest/centaur-1", 34349, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "forbidden-forrest/centaur-1", 34351, Protocol.SCTP, false);
    }

    /// <summary>CNPBaselineTierIngressNamedPort (baseline-admin-network-policy-experimental-ingress-rules.go).</summary>
    public static void CNPBaselineTierIngressNamedPort(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.BaselineTierStandardIngressTcpRules());
        world.Case("Should support an 'allow-ingress' policy for named port");
        world.SetPorts("default", PolicyDirection.Ingress, 3, ClusterPolicyPort.Named("web"));
        world.Expect("hufflepuff/cedric-diggory-0", "gryffindor/harry-potter-1", 80, Protocol.TCP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "gryffindor/harry-potter-1", 8080, Protocol.TCP, false);
    }

    /// <summary>CNPBaselineTierEgressInlineCIDRPeers (baseline-admin-network-policy-standard-egress-inline-cidr-rules.go).</summary>
    public static void CNPBaselineTierEgressInlineCIDRPeers(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.BaselineTierStandardEgressInlineCidrRules());
        world.Case("Should support a 'deny-egress' rule policy for egress-cidr-peer");
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 9003, Protocol.SCTP, false);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-0", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-0", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-0", 9003, Protocol.SCTP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 9003, Protocol.SCTP, true);
        world.RelabelNamespace("slytherin", "denied-namespace-label");
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 9003, Protocol.SCTP, false);
        world.RelabelNamespace("slytherin", "slytherin");
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 9003, Protocol.SCTP, true);
        world.Case("Should support an 'allow-egress' rule policy for egress-cidr-peer");
        world.PrependEgress("default", "allow-egress-to-specific-podIPs", ClusterPolicyAction.Accept, world.Cidr("ravenclaw/luna-lovegood-0"), world.Cidr("hufflepuff/cedric-diggory-0"));
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 9003, Protocol.SCTP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-0", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-0", 9003, Protocol.SCTP, true);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-1", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-1", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-1", 9003, Protocol.SCTP, false);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 9003, Protocol.SCTP, false);
    }

    /// <summary>CNPBaselineTierEgressSCTP (baseline-admin-network-policy-standard-egress-sctp-rules.go).</summary>
    public static void CNPBaselineTierEgressSCTP(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.BaselineTierStandardEgressSctpRules());
        world.Case("Should support an 'allow-egress' policy for SCTP protocol; ensure rule ordering is respected");
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-0", 9003, Protocol.SCTP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-0", 9005, Protocol.SCTP, true);
        world.Case("Should support an 'allow-egress' policy for SCTP protocol at the specified port");
        world.Expect("ravenclaw/luna-lovegood-0", "hufflepuff/cedric-diggory-1", 9003, Protocol.SCTP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "hufflepuff/cedric-diggory-1", 9005, Protocol.SCTP, false);
        world.Case("Should support an 'deny-egress' policy for SCTP protocol; ensure rule ordering is respected");
        world.SwapRules("default", PolicyDirection.Egress, 0, 1);
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-1", 9003, Protocol.SCTP, false);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-1", 9005, Protocol.SCTP, false);
        world.Case("Should support a 'deny-egress' policy for SCTP protocol at the specified port");
        world.Expect("ravenclaw/luna-lovegood-0", "slytherin/draco-malfoy-0", 9003, Protocol.SCTP, false);
        world.Expect("ravenclaw/luna-lovegood-1", "slytherin/draco-malfoy-0", 9005, Protocol.SCTP, true);
    }

    /// <summary>CNPBaselineTierEgressTCP (baseline-admin-network-policy-standard-egress-tcp-rules.go).</summary>
    public static void CNPBaselineTierEgressTCP(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.BaselineTierStandardEgressTcpRules());
        world.Case("Should support an 'allow-egress' policy for TCP protocol; ensure rule ordering is respected");
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 8080, Protocol.TCP, true);
        world.Case("Should support an 'allow-egress' policy for TCP protocol at the specified port");
        world.Expect("gryffindor/harry-potter-0", "hufflepuff/cedric-diggory-1", 8080, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 80, Protocol.TCP, false);
        world.Case("Should support an 'deny-egress' policy for TCP protocol; ensure rule ordering is respected");
        world.SwapRules("default", PolicyDirection.Egress, 0, 1);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-1", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-1", 8080, Protocol.TCP, false);
        world.Case("Should support a 'deny-egress' policy for TCP protocol at the specified port");
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 8080, Protocol.TCP, true);
    }

    /// <summary>CNPBaselineTierEgressUDP (baseline-admin-network-policy-standard-egress-udp-rules.go).</summary>
    public static void CNPBaselineTierEgressUDP(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.BaselineTierStandardEgressUdpRules());
        world.Case("Should support an 'allow-egress' policy for UDP protocol; ensure rule ordering is respected");
        world.Expect("hufflepuff/cedric-diggory-0", "ravenclaw/luna-lovegood-0", 53, Protocol.UDP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "ravenclaw/luna-lovegood-0", 5353, Protocol.UDP, true);
        world.Case("Should support an 'allow-egress' policy for UDP protocol at the specified port");
        world.Expect("hufflepuff/cedric-diggory-0", "gryffindor/harry-potter-1", 53, Protocol.UDP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "gryffindor/harry-potter-1", 5353, Protocol.UDP, false);
        world.Case("Should support an 'deny-egress' policy for UDP protocol; ensure rule ordering is respected");
        world.SwapRules("default", PolicyDirection.Egress, 0, 1);
        world.Expect("hufflepuff/cedric-diggory-0", "ravenclaw/luna-lovegood-1", 53, Protocol.UDP, false);
        world.Expect("hufflepuff/cedric-diggory-1", "ravenclaw/luna-lovegood-1", 5353, Protocol.UDP, false);
        world.Case("Should support a 'deny-egress' policy for UDP protocol at the specified port");
        world.Expect("hufflepuff/cedric-diggory-0", "slytherin/draco-malfoy-0", 5353, Protocol.UDP, false);
        world.Expect("hufflepuff/cedric-diggory-1", "slytherin/draco-malfoy-0", 53, Protocol.UDP, true);
    }

    /// <summary>CNPBaselineTierGress (baseline-admin-network-policy-standard-gress-rules.go).</summary>
    public static void CNPBaselineTierGress(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.BaselineTierStandardGressRulesCombined());
        world.Case("Should support an 'allow-gress' policy across different protocols");
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-0", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-0", 9003, Protocol.SCTP, true);
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-0", 53, Protocol.UDP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-0", 9003, Protocol.SCTP, true);
        world.Case("Should support an 'allow-gress' policy across different protocols at the specified ports");
        world.Expect("gryffindor/harry-potter-0", "hufflepuff/cedric-diggory-1", 8080, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-0", "hufflepuff/cedric-diggory-1", 5353, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-0", "hufflepuff/cedric-diggory-1", 9003, Protocol.SCTP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 9005, Protocol.SCTP, false);
        world.Expect("hufflepuff/cedric-diggory-0", "gryffindor/harry-potter-1", 80, Protocol.TCP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "gryffindor/harry-potter-1", 8080, Protocol.TCP, false);
        world.Expect("hufflepuff/cedric-diggory-0", "gryffindor/harry-potter-1", 5353, Protocol.UDP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "gryffindor/harry-potter-1", 53, Protocol.UDP, false);
        world.Expect("hufflepuff/cedric-diggory-0", "gryffindor/harry-potter-1", 9003, Protocol.SCTP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "gryffindor/harry-potter-1", 9005, Protocol.SCTP, false);
        world.Case("Should support an 'deny-gress' policy across different protocols");
        world.SwapRules("default", PolicyDirection.Egress, 0, 1);
        world.SwapRules("default", PolicyDirection.Ingress, 0, 1);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-1", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-1", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-1", 9003, Protocol.SCTP, false);
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-1", 80, Protocol.TCP, false);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-1", 53, Protocol.UDP, false);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-1", 9003, Protocol.SCTP, false);
        world.Case("Should support a 'deny-gress' policy across different protocols at the specified ports");
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 80, Protocol.TCP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 8080, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 53, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 5353, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-0", "slytherin/draco-malfoy-0", 9003, Protocol.SCTP, false);
        world.Expect("gryffindor/harry-potter-1", "slytherin/draco-malfoy-0", 9005, Protocol.SCTP, true);
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, false);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 8080, Protocol.TCP, true);
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 53, Protocol.UDP, false);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 5353, Protocol.UDP, true);
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 9003, Protocol.SCTP, false);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 9005, Protocol.SCTP, true);
    }

    /// <summary>CNPBaselineTierIngressSCTP (baseline-admin-network-policy-standard-ingress-sctp-rules.go).</summary>
    public static void CNPBaselineTierIngressSCTP(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.BaselineTierStandardIngressSctpRules());
        world.Case("Should support an 'allow-ingress' policy for SCTP protocol; ensure rule ordering is respected");
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-0", 9003, Protocol.SCTP, true);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-0", 9005, Protocol.SCTP, true);
        world.Case("Should support an 'allow-ingress' policy for SCTP protocol at the specified port");
        world.Expect("hufflepuff/cedric-diggory-0", "ravenclaw/luna-lovegood-1", 9003, Protocol.SCTP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "ravenclaw/luna-lovegood-1", 9005, Protocol.SCTP, false);
        world.Case("Should support an 'deny-ingress' policy for SCTP protocol; ensure rule ordering is respected");
        world.SwapRules("default", PolicyDirection.Ingress, 0, 1);
        world.Expect("gryffindor/harry-potter-0", "ravenclaw/luna-lovegood-1", 9003, Protocol.SCTP, false);
        world.Expect("gryffindor/harry-potter-1", "ravenclaw/luna-lovegood-1", 9005, Protocol.SCTP, false);
        world.Case("Should support a 'deny-ingress' policy for SCTP protocol at the specified port");
        world.Expect("slytherin/draco-malfoy-0", "ravenclaw/luna-lovegood-0", 9003, Protocol.SCTP, false);
        world.Expect("slytherin/draco-malfoy-1", "ravenclaw/luna-lovegood-0", 9005, Protocol.SCTP, true);
    }

    /// <summary>CNPBaselineTierIngressTCP (baseline-admin-network-policy-standard-ingress-tcp-rules.go).</summary>
    public static void CNPBaselineTierIngressTCP(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.BaselineTierStandardIngressTcpRules());
        world.Case("Should support an 'allow-ingress' policy for TCP protocol; ensure rule ordering is respected");
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-0", 8080, Protocol.TCP, true);
        world.Case("Should support an 'allow-ingress' policy for TCP protocol at the specified port");
        world.Expect("hufflepuff/cedric-diggory-0", "gryffindor/harry-potter-1", 80, Protocol.TCP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "gryffindor/harry-potter-1", 8080, Protocol.TCP, false);
        world.Case("Should support an 'deny-ingress' policy for TCP protocol; ensure rule ordering is respected");
        world.SwapRules("default", PolicyDirection.Ingress, 0, 1);
        world.Expect("ravenclaw/luna-lovegood-0", "gryffindor/harry-potter-1", 80, Protocol.TCP, false);
        world.Expect("ravenclaw/luna-lovegood-1", "gryffindor/harry-potter-1", 8080, Protocol.TCP, false);
        world.Case("Should support a 'deny-ingress' policy for TCP protocol at the specified port");
        world.Expect("slytherin/draco-malfoy-0", "gryffindor/harry-potter-0", 80, Protocol.TCP, false);
        world.Expect("slytherin/draco-malfoy-1", "gryffindor/harry-potter-0", 8080, Protocol.TCP, true);
    }

    /// <summary>CNPBaselineTierIngressUDP (baseline-admin-network-policy-standard-ingress-udp-rules.go).</summary>
    public static void CNPBaselineTierIngressUDP(Func<ConformanceManifests, ConformanceCluster> open)
    {
        var world = open(ConformancePolicies.BaselineTierStandardIngressUdpRules());
        world.Case("Should support an 'allow-ingress' policy for UDP protocol; ensure rule ordering is respected");
        world.Expect("ravenclaw/luna-lovegood-0", "hufflepuff/cedric-diggory-0", 53, Protocol.UDP, true);
        world.Expect("ravenclaw/luna-lovegood-1", "hufflepuff/cedric-diggory-0", 5353, Protocol.UDP, true);
        world.Case("Should support an 'allow-ingress' policy for UDP protocol at the specified port");
        world.Expect("gryffindor/harry-potter-0", "hufflepuff/cedric-diggory-1", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 5353, Protocol.UDP, false);
        world.Case("Should support an 'deny-ingress' policy for UDP protocol; ensure rule ordering is respected");
        world.SwapRules("default", PolicyDirection.Ingress, 0, 1);
        world.Expect("ravenclaw/luna-lovegood-0", "hufflepuff/cedric-diggory-1", 53, Protocol.UDP, false);
        world.Expect("ravenclaw/luna-lovegood-1", "hufflepuff/cedric-diggory-1", 5353, Protocol.UDP, false);
        world.Case("Should support a 'deny-ingress' policy for UDP protocol at the specified port");
        world.Expect("slytherin/draco-malfoy-0", "hufflepuff/cedric-diggory-0", 5353, Protocol.UDP, false);
        world.Expect("slytherin/draco-malfoy-1", "hufflepuff/cedric-diggory-0", 53, Protocol.UDP, true);
    }
}
