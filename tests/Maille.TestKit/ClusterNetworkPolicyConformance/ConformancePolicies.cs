using Maille.Model;
using static Maille.TestKit.ClusterNetworkPolicyBuilder;

namespace Maille.TestKit;

/// <summary>
/// The policies of network-policy-api's conformance manifests (conformance/base), written with the TestKit builder:
/// same names, tiers, priorities, subjects, rules in the same order. NetworkPolicies are plain YAML.
/// </summary>
internal static class ConformancePolicies
{
    /// <summary>base/admin_tier/standard-egress-tcp-rules.yaml.</summary>
    public static ConformanceManifests AdminTierStandardEgressTcpRules() => new(
        [
            Admin("egress-tcp", 6)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))
            .Egress("allow-to-ravenclaw-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("deny-to-ravenclaw-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("pass-to-ravenclaw-everything", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("deny-to-slytherin-at-port-80", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.TCP, 80))
            .Egress("pass-to-slytherin-at-port-80", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.TCP, 80))
            .Egress("allow-to-hufflepuff-at-port-8080", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))], Port(Protocol.TCP, 8080))
            .Egress("deny-to-hufflepuff-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))]),
        ],
        []);

    /// <summary>base/admin_tier/experimental-egress-selector-rules.yaml.</summary>
    public static ConformanceManifests AdminTierExperimentalEgressSelectorRules() => new(
        [
            Admin("node-and-cidr-as-peers-example", 75)
            .SubjectPods([("conformance-house", "gryffindor")], [("conformance-house", "gryffindor")])
            .Egress("allow-egress-to-34345-on-nodes", ClusterPolicyAction.Accept, [Nodes(("kubernetes.io/os", "linux"))], Port(Protocol.TCP, 34345))
            .Egress("pass-egress-to-34347-on-nodes", ClusterPolicyAction.Pass, [Nodes(("kubernetes.io/os", "linux"))], Port(Protocol.UDP, 34347))
            .Egress("deny-egress-to-slytherin-and-nodes-and-internet", ClusterPolicyAction.Deny, [Pods([("conformance-house", "slytherin")], [("conformance-house", "slytherin")]), Nodes(("kubernetes.io/os", "linux")), Networks("0.0.0.0/0", "::/0")]),
        ],
        []);

    /// <summary>base/admin_tier/standard-ingress-udp-rules.yaml.</summary>
    public static ConformanceManifests AdminTierStandardIngressUdpRules() => new(
        [
            Admin("ingress-udp", 4)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))
            .Ingress("allow-from-ravenclaw-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("deny-from-ravenclaw-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("pass-from-ravenclaw-everything", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("deny-from-slytherin-at-port-5353", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.UDP, 5353))
            .Ingress("pass-from-slytherin-at-port-5353", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.UDP, 5353))
            .Ingress("allow-from-gryffindor-at-port-53", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))], Port(Protocol.UDP, 53))
            .Ingress("deny-from-gryffindor-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))]),
        ],
        []);

    /// <summary>base/admin_tier/standard-egress-inline-cidr-rules.yaml.</summary>
    public static ConformanceManifests AdminTierStandardEgressInlineCidrRules() => new(
        [
            Admin("inline-cidr-as-peers-example", 85)
            .SubjectPods([("conformance-house", "gryffindor")], [("conformance-house", "gryffindor")])
            .Egress("allow-egress-to-slytherin", ClusterPolicyAction.Accept, [Pods([("conformance-house", "slytherin")], [("conformance-house", "slytherin")])])
            .Egress("deny-egress-to-internet", ClusterPolicyAction.Deny, [Networks("0.0.0.0/0", "::/0")]),
        ],
        []);

    /// <summary>base/admin_tier/standard-egress-sctp-rules.yaml.</summary>
    public static ConformanceManifests AdminTierStandardEgressSctpRules() => new(
        [
            Admin("egress-sctp", 8)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))
            .Egress("allow-to-gryffindor-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))])
            .Egress("deny-to-gryffindor-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))])
            .Egress("pass-to-gryffindor-everything", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))])
            .Egress("deny-to-slytherin-at-port-9003", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.SCTP, 9003))
            .Egress("pass-to-slytherin-at-port-9003", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.SCTP, 9003))
            .Egress("allow-to-hufflepuff-at-port-9003", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))], Port(Protocol.SCTP, 9003))
            .Egress("deny-to-hufflepuff-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))]),
        ],
        []);

    /// <summary>base/admin_tier/standard-egress-udp-rules.yaml.</summary>
    public static ConformanceManifests AdminTierStandardEgressUdpRules() => new(
        [
            Admin("egress-udp", 7)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))
            .Egress("allow-to-ravenclaw-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("deny-to-ravenclaw-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("pass-to-ravenclaw-everything", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("deny-to-slytherin-at-port-5353", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.UDP, 5353))
            .Egress("pass-to-slytherin-at-port-5353", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.UDP, 5353))
            .Egress("allow-to-gryffindor-at-port-53", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))], Port(Protocol.UDP, 53))
            .Egress("deny-to-gryffindor-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))]),
        ],
        []);

    /// <summary>base/admin_tier/standard-gress-rules-combined.yaml.</summary>
    public static ConformanceManifests AdminTierStandardGressRulesCombined() => new(
        [
            Admin("gress-rules", 15)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))
            .Ingress("allow-from-ravenclaw-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("deny-from-ravenclaw-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("pass-from-ravenclaw-everything", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("deny-from-slytherin-at-port-80-53-9003", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.TCP, 80), Port(Protocol.UDP, 53), Port(Protocol.SCTP, 9003))
            .Ingress("pass-from-slytherin-at-port-80-53-9003", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.TCP, 80), Port(Protocol.UDP, 53), Port(Protocol.SCTP, 9003))
            .Ingress("allow-from-hufflepuff-at-port-80-5353-9003", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))], Port(Protocol.TCP, 80), Port(Protocol.UDP, 5353), Port(Protocol.SCTP, 9003))
            .Ingress("deny-from-hufflepuff-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))])
            .Egress("allow-to-ravenclaw-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("deny-to-ravenclaw-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("pass-to-ravenclaw-everything", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("deny-to-slytherin-at-ports-80-53-9003", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.TCP, 80), Port(Protocol.UDP, 53), Port(Protocol.SCTP, 9003))
            .Egress("pass-to-slytherin-at-port-80-53-9003", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.TCP, 80), Port(Protocol.UDP, 53), Port(Protocol.SCTP, 9003))
            .Egress("allow-to-hufflepuff-at-ports-8080-5353-9003", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))], Port(Protocol.TCP, 8080), Port(Protocol.UDP, 5353), Port(Protocol.SCTP, 9003))
            .Egress("deny-to-hufflepuff-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))]),
        ],
        []);

    /// <summary>base/admin_tier/standard-ingress-sctp-rules.yaml.</summary>
    public static ConformanceManifests AdminTierStandardIngressSctpRules() => new(
        [
            Admin("ingress-sctp", 5)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))
            .Ingress("allow-from-gryffindor-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))])
            .Ingress("deny-from-gryffindor-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))])
            .Ingress("pass-from-gryffindor-everything", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))])
            .Ingress("deny-from-slytherin-at-port-9003", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.SCTP, 9003))
            .Ingress("pass-from-slytherin-at-port-9003", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.SCTP, 9003))
            .Ingress("allow-from-hufflepuff-at-port-9003", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))], Port(Protocol.SCTP, 9003))
            .Ingress("deny-from-hufflepuff-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))]),
        ],
        []);

    /// <summary>base/admin_tier/standard-ingress-tcp-rules.yaml.</summary>
    public static ConformanceManifests AdminTierStandardIngressTcpRules() => new(
        [
            Admin("ingress-tcp", 3)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))
            .Ingress("allow-from-ravenclaw-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("deny-from-ravenclaw-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("pass-from-ravenclaw-everything", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("deny-from-slytherin-at-port-80", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.TCP, 80))
            .Ingress("pass-from-slytherin-at-port-80", ClusterPolicyAction.Pass, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.TCP, 80))
            .Ingress("allow-from-hufflepuff-at-port-80", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))], Port(Protocol.TCP, 80))
            .Ingress("deny-from-hufflepuff-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))]),
        ],
        []);

    /// <summary>base/api_integration/standard-anp-np-banp.yaml.</summary>
    public static ConformanceManifests ApiIntegrationStandardAnpNpBanp() => new(
        [
            Admin("pass-example", 10)
            .SubjectNamespaces(("conformance-house", "gryffindor"))
            .Ingress("deny-all-ingress-from-slytherin", ClusterPolicyAction.Deny, [Namespaces(("conformance-house", "slytherin"))])
            .Egress("deny-all-egress-to-slytherin", ClusterPolicyAction.Deny, [Namespaces(("conformance-house", "slytherin"))]),
            Baseline("default", 10)
            .SubjectNamespaces(("conformance-house", "gryffindor"))
            .Ingress("deny-all-ingress-from-slytherin", ClusterPolicyAction.Deny, [Namespaces(("conformance-house", "slytherin"))])
            .Egress("deny-all-egress-to-slytherin", ClusterPolicyAction.Deny, [Namespaces(("conformance-house", "slytherin"))]),
        ],
        ["{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-gress-from-to-slytherin-to-gryffindor, namespace: network-policy-conformance-gryffindor}, spec: {egress: [{to: [{namespaceSelector: {matchLabels: {conformance-house: slytherin}}}]}], ingress: [{from: [{namespaceSelector: {matchLabels: {conformance-house: slytherin}}}]}], podSelector: null, policyTypes: [Ingress, Egress]}}"]);

    /// <summary>base/admin_tier/standard-priority-field.yaml.</summary>
    public static ConformanceManifests AdminTierStandardPriorityField() => new(
        [
            Admin("priority-50-example", 50)
            .SubjectPods([("conformance-house", "gryffindor")], [("conformance-house", "gryffindor")])
            .Ingress("deny-all-ingress-from-slytherin", ClusterPolicyAction.Deny, [Pods([("conformance-house", "slytherin")], [("conformance-house", "slytherin")])])
            .Egress("deny-all-egress-to-slytherin", ClusterPolicyAction.Deny, [Pods([("conformance-house", "slytherin")], [("conformance-house", "slytherin")])]),
            Admin("old-priority-60-new-priority-40-example", 60)
            .SubjectPods([("conformance-house", "gryffindor")], [("conformance-house", "gryffindor")])
            .Ingress("pass-all-ingress-from-slytherin", ClusterPolicyAction.Pass, [Pods([("conformance-house", "slytherin")], [("conformance-house", "slytherin")])])
            .Egress("pass-all-egress-to-slytherin", ClusterPolicyAction.Pass, [Pods([("conformance-house", "slytherin")], [("conformance-house", "slytherin")])]),
            Baseline("default", 10)
            .SubjectPods([("conformance-house", "gryffindor")], [("conformance-house", "gryffindor")])
            .Ingress("allow-all-ingress-from-slytherin", ClusterPolicyAction.Accept, [Pods([("conformance-house", "slytherin")], [("conformance-house", "slytherin")])])
            .Egress("allow-all-egress-to-slytherin", ClusterPolicyAction.Accept, [Pods([("conformance-house", "slytherin")], [("conformance-house", "slytherin")])]),
        ],
        []);

    /// <summary>base/baseline_tier/standard-egress-udp-rules.yaml.</summary>
    public static ConformanceManifests BaselineTierStandardEgressUdpRules() => new(
        [
            Baseline("default", 10)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))
            .Egress("allow-to-ravenclaw-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("deny-to-ravenclaw-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("deny-to-slytherin-at-port-5353", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.UDP, 5353))
            .Egress("allow-to-gryffindor-at-port-53", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))], Port(Protocol.UDP, 53))
            .Egress("deny-to-gryffindor-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))]),
        ],
        []);

    /// <summary>base/baseline_tier/experimental-egress-selector-rules.yaml.</summary>
    public static ConformanceManifests BaselineTierExperimentalEgressSelectorRules() => new(
        [
            Baseline("default", 10)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))
            .Egress("allow-egress-to-34345-on-nodes", ClusterPolicyAction.Accept, [Nodes(("kubernetes.io/os", "linux"))], PortRange(Protocol.TCP, 34345, 34346))
            .Egress("deny-egress-to-nodes-and-internet", ClusterPolicyAction.Deny, [Nodes(("kubernetes.io/os", "linux")), Networks("0.0.0.0/0", "::/0")]),
        ],
        []);

    /// <summary>base/baseline_tier/standard-ingress-tcp-rules.yaml.</summary>
    public static ConformanceManifests BaselineTierStandardIngressTcpRules() => new(
        [
            Baseline("default", 10)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))
            .Ingress("allow-from-ravenclaw-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("deny-from-ravenclaw-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("deny-from-slytherin-at-port-80", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.TCP, 80))
            .Ingress("allow-from-hufflepuff-at-port-80", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))], Port(Protocol.TCP, 80))
            .Ingress("deny-from-hufflepuff-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))]),
        ],
        []);

    /// <summary>base/baseline_tier/standard-egress-inline-cidr-rules.yaml.</summary>
    public static ConformanceManifests BaselineTierStandardEgressInlineCidrRules() => new(
        [
            Baseline("default", 10)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))
            .Egress("allow-egress-to-slytherin", ClusterPolicyAction.Accept, [Pods([("conformance-house", "slytherin")], [("conformance-house", "slytherin")])])
            .Egress("deny-egress-to-internet", ClusterPolicyAction.Deny, [Networks("0.0.0.0/0", "::/0")]),
        ],
        []);

    /// <summary>base/baseline_tier/standard-egress-sctp-rules.yaml.</summary>
    public static ConformanceManifests BaselineTierStandardEgressSctpRules() => new(
        [
            Baseline("default", 10)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))
            .Egress("allow-to-gryffindor-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))])
            .Egress("deny-to-gryffindor-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))])
            .Egress("deny-to-slytherin-at-port-9003", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.SCTP, 9003))
            .Egress("allow-to-hufflepuff-at-port-9003", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))], Port(Protocol.SCTP, 9003))
            .Egress("deny-to-hufflepuff-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))]),
        ],
        []);

    /// <summary>base/baseline_tier/standard-egress-tcp-rules.yaml.</summary>
    public static ConformanceManifests BaselineTierStandardEgressTcpRules() => new(
        [
            Baseline("default", 10)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))
            .Egress("allow-to-ravenclaw-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("deny-to-ravenclaw-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("deny-to-slytherin-at-port-80", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.TCP, 80))
            .Egress("allow-to-hufflepuff-at-port-8080", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))], Port(Protocol.TCP, 8080))
            .Egress("deny-to-hufflepuff-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))]),
        ],
        []);

    /// <summary>base/baseline_tier/standard-gress-rules-combined.yaml.</summary>
    public static ConformanceManifests BaselineTierStandardGressRulesCombined() => new(
        [
            Baseline("default", 10)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))
            .Ingress("allow-from-ravenclaw-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("deny-from-ravenclaw-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("deny-from-slytherin-at-port-80-53-9003", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.TCP, 80), Port(Protocol.UDP, 53), Port(Protocol.SCTP, 9003))
            .Ingress("allow-from-hufflepuff-at-port-80-5353-9003", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))], Port(Protocol.TCP, 80), Port(Protocol.UDP, 5353), Port(Protocol.SCTP, 9003))
            .Ingress("deny-from-hufflepuff-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))])
            .Egress("allow-to-ravenclaw-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("deny-to-ravenclaw-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Egress("deny-to-slytherin-at-ports-80-53-9003", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.TCP, 80), Port(Protocol.UDP, 53), Port(Protocol.SCTP, 9003))
            .Egress("allow-to-hufflepuff-at-ports-8080-5353", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))], Port(Protocol.TCP, 8080), Port(Protocol.UDP, 5353), Port(Protocol.SCTP, 9003))
            .Egress("deny-to-hufflepuff-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))]),
        ],
        []);

    /// <summary>base/baseline_tier/standard-ingress-sctp-rules.yaml.</summary>
    public static ConformanceManifests BaselineTierStandardIngressSctpRules() => new(
        [
            Baseline("default", 10)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))
            .Ingress("allow-from-gryffindor-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))])
            .Ingress("deny-from-gryffindor-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))])
            .Ingress("deny-from-slytherin-at-port-9003", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.SCTP, 9003))
            .Ingress("allow-from-hufflepuff-at-port-9003", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))], Port(Protocol.SCTP, 9003))
            .Ingress("deny-from-hufflepuff-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))]),
        ],
        []);

    /// <summary>base/baseline_tier/standard-ingress-udp-rules.yaml.</summary>
    public static ConformanceManifests BaselineTierStandardIngressUdpRules() => new(
        [
            Baseline("default", 10)
            .SubjectNamespaces(("kubernetes.io/metadata.name", "network-policy-conformance-hufflepuff"))
            .Ingress("allow-from-ravenclaw-everything", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("deny-from-ravenclaw-everything", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-ravenclaw"))])
            .Ingress("deny-from-slytherin-at-port-5353", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-slytherin"))], Port(Protocol.UDP, 5353))
            .Ingress("allow-from-gryffindor-at-port-53", ClusterPolicyAction.Accept, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))], Port(Protocol.UDP, 53))
            .Ingress("deny-from-gryffindor-everything-else", ClusterPolicyAction.Deny, [Namespaces(("kubernetes.io/metadata.name", "network-policy-conformance-gryffindor"))]),
        ],
        []);
}
