using Maille.Model;

namespace Maille.Engine.Tests.ClusterNetworkPolicies;

/// <summary>
/// The 24 conformance tests of kubernetes-sigs/network-policy-api (v1alpha2 ClusterNetworkPolicy, conformance/tests),
/// re-expressed against the engine: one test per upstream test (named by its ShortName), its subtests as cases in
/// upstream order, each change to a policy kept for the cases after it as upstream's patches are. Every connection
/// upstream pokes is asked of the evaluator, and pod-to-pod ones of the matrix too (see <see cref="ConformanceWorld"/>).
/// The host-network ports are 34345-34352 (upstream picks them at run time).
/// </summary>
public sealed class ClusterNetworkPolicyConformanceTests
{
    /// <summary>CNPAdminTierEgressNamedPort (admin-network-policy-experimental-egress-rules.go).</summary>
    [Fact]
    public void CNPAdminTierEgressNamedPort()
    {
        var world = ConformanceWorld.With(ConformancePolicies.AdminTierStandardEgressTcpRules());
        world.Case("Should support an 'allow-egress' policy for named port");
        world.SetPorts("egress-tcp", PolicyDirection.Egress, 5, ClusterPolicyPort.Named("web"));
        world.Expect("gryffindor/harry-potter-0", "hufflepuff/cedric-diggory-1", 80, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 8080, Protocol.TCP, false);
    }

    /// <summary>CNPAdminTierEgressNodePeers (admin-network-policy-experimental-egress-rules.go).</summary>
    [Fact]
    public void CNPAdminTierEgressNodePeers()
    {
        var world = ConformanceWorld.With(ConformancePolicies.AdminTierExperimentalEgressSelectorRules());
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
    [Fact]
    public void CNPAdminTierIngressNamedPort()
    {
        var world = ConformanceWorld.With(ConformancePolicies.AdminTierStandardIngressUdpRules());
        world.Case("Should support an 'allow-ingress' policy for named port");
        world.SetPorts("ingress-udp", PolicyDirection.Ingress, 5, ClusterPolicyPort.Named("dns"));
        world.Expect("gryffindor/harry-potter-0", "hufflepuff/cedric-diggory-1", 53, Protocol.UDP, true);
        world.Expect("gryffindor/harry-potter-1", "hufflepuff/cedric-diggory-1", 5353, Protocol.UDP, false);
    }

    /// <summary>CNPAdminTierEgressInlineCIDRPeers (admin-network-policy-standard-egress-inline-cidr-rules.go).</summary>
    [Fact]
    public void CNPAdminTierEgressInlineCIDRPeers()
    {
        var world = ConformanceWorld.With(ConformancePolicies.AdminTierStandardEgressInlineCidrRules());
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
    [Fact]
    public void CNPAdminTierEgressSCTP()
    {
        var world = ConformanceWorld.With(ConformancePolicies.AdminTierStandardEgressSctpRules());
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
    [Fact]
    public void CNPAdminTierEgressTCP()
    {
        var world = ConformanceWorld.With(ConformancePolicies.AdminTierStandardEgressTcpRules());
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
    [Fact]
    public void CNPAdminTierEgressUDP()
    {
        var world = ConformanceWorld.With(ConformancePolicies.AdminTierStandardEgressUdpRules());
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
    [Fact]
    public void CNPAdminTierGress()
    {
        var world = ConformanceWorld.With(ConformancePolicies.AdminTierStandardGressRulesCombined());
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
    [Fact]
    public void CNPAdminTierIngressSCTP()
    {
        var world = ConformanceWorld.With(ConformancePolicies.AdminTierStandardIngressSctpRules());
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
    [Fact]
    public void CNPAdminTierIngressTCP()
    {
        var world = ConformanceWorld.With(ConformancePolicies.AdminTierStandardIngressTcpRules());
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
    [Fact]
    public void CNPAdminTierIngressUDP()
    {
        var world = ConformanceWorld.With(ConformancePolicies.AdminTierStandardIngressUdpRules());
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
    [Fact]
    public void CNPAdminTierIntegration()
    {
        var world = ConformanceWorld.With(ConformancePolicies.ApiIntegrationStandardAnpNpBanp());
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
    [Fact]
    public void CNPAdminTierPriorityField()
    {
        var world = ConformanceWorld.With(ConformancePolicies.AdminTierStandardPriorityField());
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
    [Fact]
    public void CNPBaselineTierEgressNamedPort()
    {
        var world = ConformanceWorld.With(ConformancePolicies.BaselineTierStandardEgressUdpRules());
        world.Case("Should support an 'allow-egress' policy for named port");
        world.SetPorts("default", PolicyDirection.Egress, 3, ClusterPolicyPort.Named("dns"));
        world.Expect("hufflepuff/cedric-diggory-0", "gryffindor/harry-potter-1", 53, Protocol.UDP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "gryffindor/harry-potter-1", 5353, Protocol.UDP, false);
    }

    /// <summary>CNPBaselineTierEgressNodePeers (baseline-admin-network-policy-experimental-egress-rules.go).</summary>
    [Fact]
    public void CNPBaselineTierEgressNodePeers()
    {
        var world = ConformanceWorld.With(ConformancePolicies.BaselineTierExperimentalEgressSelectorRules());
        world.Case("Should support an 'allow-egress' rule policy for egress-node-peer");
        world.Expect("gryffindor/harry-potter-0", "forbidden-forrest/centaur-1", 34345, Protocol.TCP, true);
        world.Expect("gryffindor/harry-potter-1", "forbidden-forrest/centaur-1", 34346, Protocol.TCP, true);
        world.Case("Should support a 'deny-egress' rule policy for egress-node-peer");
        world.Expect("gryffindor/harry-potter-1", "forbidden-forrest/centaur-1", 34349, Protocol.UDP, false);
        world.Expect("gryffindor/harry-potter-1", "forbidden-forrest/centaur-1", 34351, Protocol.SCTP, false);
    }

    /// <summary>CNPBaselineTierIngressNamedPort (baseline-admin-network-policy-experimental-ingress-rules.go).</summary>
    [Fact]
    public void CNPBaselineTierIngressNamedPort()
    {
        var world = ConformanceWorld.With(ConformancePolicies.BaselineTierStandardIngressTcpRules());
        world.Case("Should support an 'allow-ingress' policy for named port");
        world.SetPorts("default", PolicyDirection.Ingress, 3, ClusterPolicyPort.Named("web"));
        world.Expect("hufflepuff/cedric-diggory-0", "gryffindor/harry-potter-1", 80, Protocol.TCP, true);
        world.Expect("hufflepuff/cedric-diggory-1", "gryffindor/harry-potter-1", 8080, Protocol.TCP, false);
    }

    /// <summary>CNPBaselineTierEgressInlineCIDRPeers (baseline-admin-network-policy-standard-egress-inline-cidr-rules.go).</summary>
    [Fact]
    public void CNPBaselineTierEgressInlineCIDRPeers()
    {
        var world = ConformanceWorld.With(ConformancePolicies.BaselineTierStandardEgressInlineCidrRules());
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
    [Fact]
    public void CNPBaselineTierEgressSCTP()
    {
        var world = ConformanceWorld.With(ConformancePolicies.BaselineTierStandardEgressSctpRules());
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
    [Fact]
    public void CNPBaselineTierEgressTCP()
    {
        var world = ConformanceWorld.With(ConformancePolicies.BaselineTierStandardEgressTcpRules());
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
    [Fact]
    public void CNPBaselineTierEgressUDP()
    {
        var world = ConformanceWorld.With(ConformancePolicies.BaselineTierStandardEgressUdpRules());
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
    [Fact]
    public void CNPBaselineTierGress()
    {
        var world = ConformanceWorld.With(ConformancePolicies.BaselineTierStandardGressRulesCombined());
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
    [Fact]
    public void CNPBaselineTierIngressSCTP()
    {
        var world = ConformanceWorld.With(ConformancePolicies.BaselineTierStandardIngressSctpRules());
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
    [Fact]
    public void CNPBaselineTierIngressTCP()
    {
        var world = ConformanceWorld.With(ConformancePolicies.BaselineTierStandardIngressTcpRules());
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
    [Fact]
    public void CNPBaselineTierIngressUDP()
    {
        var world = ConformanceWorld.With(ConformancePolicies.BaselineTierStandardIngressUdpRules());
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
