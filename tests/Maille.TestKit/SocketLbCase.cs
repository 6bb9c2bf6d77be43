using Maille.Engine;
using Maille.Engine.ServiceProxy;
using Maille.Model;

namespace Maille.TestKit;

/// <summary>
/// The socket load balancer's case: two pods of app=web (web-1 on node-1, web-2 on node-2) behind web (TCP 80 and
/// UDP 53), sticky (sessionAffinity ClientIP), local (internalTrafficPolicy Local), and nobody (no endpoint).
/// </summary>
internal static class SocketLbCase
{
    public const string Yaml = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, namespace: app, labels: {app: web}}
        spec:
          nodeName: node-1
          containers: [{name: c, image: x, ports: [{containerPort: 8080}, {containerPort: 5353, protocol: UDP}]}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, namespace: app, labels: {app: web}}
        spec:
          nodeName: node-2
          containers: [{name: c, image: x, ports: [{containerPort: 8080}, {containerPort: 5353, protocol: UDP}]}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: app}
        spec:
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: 8080}, {name: dns, port: 53, targetPort: 5353, protocol: UDP}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: sticky, namespace: app}
        spec:
          selector: {app: web}
          sessionAffinity: ClientIP
          ports: [{port: 81, targetPort: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: local, namespace: app}
        spec:
          selector: {app: web}
          internalTrafficPolicy: Local
          ports: [{port: 82, targetPort: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: nobody, namespace: app}
        spec:
          selector: {app: none}
          ports: [{port: 80}]
        """;

    public static readonly ClusterConfig Config = ClusterConfig.Default with { NodeCount = 2 };

    public static ClusterState Cluster => TestKit.Cluster.Valid(Yaml, Config);

    /// <summary>The same cluster once app=web is scaled to nothing: its pods relabeled away.</summary>
    public static ClusterState WebScaledDown => TestKit.Cluster.Valid(Yaml.Replace("labels: {app: web}}", "labels: {app: gone}}", StringComparison.Ordinal), Config);

    /// <summary>web-2 gone: web keeps web-1 only.</summary>
    public static ClusterState WithoutWeb2 => TestKit.Cluster.Valid(Yaml.Replace("metadata: {name: web-2, namespace: app, labels: {app: web}}", "metadata: {name: web-2, namespace: app, labels: {app: gone}}", StringComparison.Ordinal), Config);

    public static NodeServicePlan Plan(ClusterState cluster) => ServiceProxyPlanner.Plan(cluster, "node-1");

    public static ServicePortPlan Port(ClusterState cluster, string service, int port) =>
        Plan(cluster).Ports.Single(p => p.Id.Service == service && p.Port == port);
}
