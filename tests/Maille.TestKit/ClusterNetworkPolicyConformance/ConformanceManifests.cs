namespace Maille.TestKit;

/// <summary>One upstream conformance manifest: its ClusterNetworkPolicies (as builders) and NetworkPolicies (YAML).</summary>
internal sealed record ConformanceManifests(IReadOnlyList<ClusterNetworkPolicyBuilder> Policies, IReadOnlyList<string> NetworkPolicies);
