using System.Net;
using Maille.Engine;
using Maille.Engine.ServiceProxy;
using Maille.Model;

namespace Maille.TestKit;

/// <summary>
/// The golden Service case every-kind (in <see cref="Goldens.ServiceTables"/>), the same cluster once web-b is
/// terminating, and its node plans grown by bulk ports.
/// </summary>
internal static class EveryKindCase
{
    public static readonly string Yaml = Goldens.ServiceTables.Read("every-kind/input.yaml");

    /// <summary>web-b terminating: it leaves every Service it served, as each has ready peers.</summary>
    public static readonly string WithoutWebB = Yaml.Replace(
        "metadata: {name: web-b, namespace: app, labels: {app: web, tier: front, only: b}}",
        "metadata: {name: web-b, namespace: app, labels: {app: web, tier: front, only: b}, deletionTimestamp: \"2024-01-01T00:00:00Z\"}",
        StringComparison.Ordinal);

    public static ClusterState Plan(string yaml) => Cluster.Valid(yaml, Goldens.TwoNodes);

    /// <summary>
    /// <paramref name="plan"/> plus <paramref name="count"/> copies of its first multi-endpoint TCP ClusterIP port, each on
    /// its own address (from 198.19.200.1 on: outside the plan's Service addresses, which are spread over the CIDR).
    /// </summary>
    public static NodeServicePlan WithBulkPorts(NodeServicePlan plan, int count)
    {
        var template = plan.Ports.First(p => p.Protocol == Protocol.TCP && p.ClusterEndpoints.Count > 1 && p.NodePort is null && p.AffinityTimeoutSeconds is null
            && p.LoadBalancerIPs.Count == 0 && p.ExternalIPs.Count == 0 && !p.InternalTrafficLocal);
        var bulk = Enumerable.Range(0, count).Select(i => template with
        {
            Id = new ServicePortId("zz-bulk", $"svc-{i:D4}", "http", Protocol.TCP),
            ClusterIP = IPAddress.Parse($"198.19.{200 + (i / 250)}.{(i % 250) + 1}"),
            Port = 80,
        });
        return plan with { Ports = new(plan.Ports.Concat(bulk)) };
    }

    /// <summary>The bulk ports of <paramref name="plan"/> with <paramref name="count"/> endpoints (their first on ports 8080 and up).</summary>
    public static NodeServicePlan WithEndpoints(NodeServicePlan plan, int count) => plan with
    {
        Ports = new(plan.Ports.Select(p => p.Id.Namespace != "zz-bulk" ? p
            : p with { ClusterEndpoints = new(Enumerable.Range(0, count).Select(k => p.ClusterEndpoints[0] with { Port = 8080 + k })) })),
    };
}
