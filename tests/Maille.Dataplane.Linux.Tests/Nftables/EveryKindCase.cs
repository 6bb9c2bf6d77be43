using Maille.Engine;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests.Nftables;

/// <summary>The golden case testassets/nftables/every-kind, and the same cluster once web-b is terminating.</summary>
internal static class EveryKindCase
{
    public static readonly string Yaml = File.ReadAllText(Path.Combine(ServiceRulesetGoldenTests.GoldenRoot, "every-kind", "input.yaml"));

    /// <summary>web-b terminating: it leaves every Service it served, as each has ready peers.</summary>
    public static readonly string WithoutWebB = Yaml.Replace(
        "metadata: {name: web-b, namespace: app, labels: {app: web, tier: front, only: b}}",
        "metadata: {name: web-b, namespace: app, labels: {app: web, tier: front, only: b}, deletionTimestamp: \"2024-01-01T00:00:00Z\"}",
        StringComparison.Ordinal);

    public static ClusterState Plan(string yaml) => Cluster.Valid(yaml, ServiceRulesetGoldenTests.TwoNodes);
}
