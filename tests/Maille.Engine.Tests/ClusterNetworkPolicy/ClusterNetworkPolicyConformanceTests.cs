using Maille.TestKit;

namespace Maille.Engine.Tests.ClusterNetworkPolicies;

/// <summary>
/// The 24 conformance tests of kubernetes-sigs/network-policy-api (v1alpha2 ClusterNetworkPolicy, conformance/tests),
/// against the engine: one test per upstream test, running the subtests of <see cref="ConformanceSuite"/> (shared with
/// the live run, LabClusterNetworkPolicyConformanceTests in Maille.Lab.Tests). Every connection upstream pokes is asked
/// of the evaluator, and pod-to-pod ones of the matrix too (see <see cref="ConformanceWorld"/>).
/// </summary>
public sealed class ClusterNetworkPolicyConformanceTests
{
    /// <summary>CNPAdminTierEgressNamedPort (admin-network-policy-experimental-egress-rules.go).</summary>
    [Fact]
    public void CNPAdminTierEgressNamedPort() => ConformanceSuite.CNPAdminTierEgressNamedPort(ConformanceWorld.With);

    /// <summary>CNPAdminTierEgressNodePeers (admin-network-policy-experimental-egress-rules.go).</summary>
    [Fact]
    public void CNPAdminTierEgressNodePeers() => ConformanceSuite.CNPAdminTierEgressNodePeers(ConformanceWorld.With);

    /// <summary>CNPAdminTierIngressNamedPort (admin-network-policy-experimental-ingress-rules.go).</summary>
    [Fact]
    public void CNPAdminTierIngressNamedPort() => ConformanceSuite.CNPAdminTierIngressNamedPort(ConformanceWorld.With);

    /// <summary>CNPAdminTierEgressInlineCIDRPeers (admin-network-policy-standard-egress-inline-cidr-rules.go).</summary>
    [Fact]
    public void CNPAdminTierEgressInlineCIDRPeers() => ConformanceSuite.CNPAdminTierEgressInlineCIDRPeers(ConformanceWorld.With);

    /// <summary>CNPAdminTierEgressSCTP (admin-network-policy-standard-egress-sctp-rules.go).</summary>
    [Fact]
    public void CNPAdminTierEgressSCTP() => ConformanceSuite.CNPAdminTierEgressSCTP(ConformanceWorld.With);

    /// <summary>CNPAdminTierEgressTCP (admin-network-policy-standard-egress-tcp-rules.go).</summary>
    [Fact]
    public void CNPAdminTierEgressTCP() => ConformanceSuite.CNPAdminTierEgressTCP(ConformanceWorld.With);

    /// <summary>CNPAdminTierEgressUDP (admin-network-policy-standard-egress-udp-rules.go).</summary>
    [Fact]
    public void CNPAdminTierEgressUDP() => ConformanceSuite.CNPAdminTierEgressUDP(ConformanceWorld.With);

    /// <summary>CNPAdminTierGress (admin-network-policy-standard-gress-rules.go).</summary>
    [Fact]
    public void CNPAdminTierGress() => ConformanceSuite.CNPAdminTierGress(ConformanceWorld.With);

    /// <summary>CNPAdminTierIngressSCTP (admin-network-policy-standard-ingress-sctp-rules.go).</summary>
    [Fact]
    public void CNPAdminTierIngressSCTP() => ConformanceSuite.CNPAdminTierIngressSCTP(ConformanceWorld.With);

    /// <summary>CNPAdminTierIngressTCP (admin-network-policy-standard-ingress-tcp-rules.go).</summary>
    [Fact]
    public void CNPAdminTierIngressTCP() => ConformanceSuite.CNPAdminTierIngressTCP(ConformanceWorld.With);

    /// <summary>CNPAdminTierIngressUDP (admin-network-policy-standard-ingress-udp-rules.go).</summary>
    [Fact]
    public void CNPAdminTierIngressUDP() => ConformanceSuite.CNPAdminTierIngressUDP(ConformanceWorld.With);

    /// <summary>CNPAdminTierIntegration (admin-network-policy-standard-integration.go).</summary>
    [Fact]
    public void CNPAdminTierIntegration() => ConformanceSuite.CNPAdminTierIntegration(ConformanceWorld.With);

    /// <summary>CNPAdminTierPriorityField (admin-network-policy-standard-priority.go).</summary>
    [Fact]
    public void CNPAdminTierPriorityField() => ConformanceSuite.CNPAdminTierPriorityField(ConformanceWorld.With);

    /// <summary>CNPBaselineTierEgressNamedPort (baseline-admin-network-policy-experimental-egress-rules.go).</summary>
    [Fact]
    public void CNPBaselineTierEgressNamedPort() => ConformanceSuite.CNPBaselineTierEgressNamedPort(ConformanceWorld.With);

    /// <summary>CNPBaselineTierEgressNodePeers (baseline-admin-network-policy-experimental-egress-rules.go).</summary>
    [Fact]
    public void CNPBaselineTierEgressNodePeers() => ConformanceSuite.CNPBaselineTierEgressNodePeers(ConformanceWorld.With);

    /// <summary>CNPBaselineTierIngressNamedPort (baseline-admin-network-policy-experimental-ingress-rules.go).</summary>
    [Fact]
    public void CNPBaselineTierIngressNamedPort() => ConformanceSuite.CNPBaselineTierIngressNamedPort(ConformanceWorld.With);

    /// <summary>CNPBaselineTierEgressInlineCIDRPeers (baseline-admin-network-policy-standard-egress-inline-cidr-rules.go).</summary>
    [Fact]
    public void CNPBaselineTierEgressInlineCIDRPeers() => ConformanceSuite.CNPBaselineTierEgressInlineCIDRPeers(ConformanceWorld.With);

    /// <summary>CNPBaselineTierEgressSCTP (baseline-admin-network-policy-standard-egress-sctp-rules.go).</summary>
    [Fact]
    public void CNPBaselineTierEgressSCTP() => ConformanceSuite.CNPBaselineTierEgressSCTP(ConformanceWorld.With);

    /// <summary>CNPBaselineTierEgressTCP (baseline-admin-network-policy-standard-egress-tcp-rules.go).</summary>
    [Fact]
    public void CNPBaselineTierEgressTCP() => ConformanceSuite.CNPBaselineTierEgressTCP(ConformanceWorld.With);

    /// <summary>CNPBaselineTierEgressUDP (baseline-admin-network-policy-standard-egress-udp-rules.go).</summary>
    [Fact]
    public void CNPBaselineTierEgressUDP() => ConformanceSuite.CNPBaselineTierEgressUDP(ConformanceWorld.With);

    /// <summary>CNPBaselineTierGress (baseline-admin-network-policy-standard-gress-rules.go).</summary>
    [Fact]
    public void CNPBaselineTierGress() => ConformanceSuite.CNPBaselineTierGress(ConformanceWorld.With);

    /// <summary>CNPBaselineTierIngressSCTP (baseline-admin-network-policy-standard-ingress-sctp-rules.go).</summary>
    [Fact]
    public void CNPBaselineTierIngressSCTP() => ConformanceSuite.CNPBaselineTierIngressSCTP(ConformanceWorld.With);

    /// <summary>CNPBaselineTierIngressTCP (baseline-admin-network-policy-standard-ingress-tcp-rules.go).</summary>
    [Fact]
    public void CNPBaselineTierIngressTCP() => ConformanceSuite.CNPBaselineTierIngressTCP(ConformanceWorld.With);

    /// <summary>CNPBaselineTierIngressUDP (baseline-admin-network-policy-standard-ingress-udp-rules.go).</summary>
    [Fact]
    public void CNPBaselineTierIngressUDP() => ConformanceSuite.CNPBaselineTierIngressUDP(ConformanceWorld.With);
}
