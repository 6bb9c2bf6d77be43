using Maille.Engine;
using Maille.TestKit;

namespace Maille.Lab.Tests.Mesh;

/// <summary>
/// The pods of the mesh tests. IP plan: nodes node-1..3 (198.18.0.11-13), pods in 198.19.N.0/24 by node. Namespace
/// `mesh` is in the mesh (Istio's label): mesh/client (service account client) and mesh/other (other) on node-1,
/// mesh/server (server, TCP 8080) on node-2, behind the Service mesh/server (port 80 → 8080). Namespace `plain` is not:
/// plain/legacy on node-1, plain/peer (TCP 8080) on node-2.
/// </summary>
internal static class MeshPods
{
    public const string Pods = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: mesh, labels: {istio.io/dataplane-mode: ambient}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: plain}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client, namespace: mesh, labels: {app: client}}
        spec: {nodeName: node-1, serviceAccountName: client, containers: [{name: c, image: i}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: other, namespace: mesh, labels: {app: other}}
        spec: {nodeName: node-1, serviceAccountName: other, containers: [{name: c, image: i}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: server, namespace: mesh, labels: {app: server}}
        spec: {nodeName: node-2, serviceAccountName: server, containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: server, namespace: mesh}
        spec: {selector: {app: server}, ports: [{port: 80, targetPort: 8080}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: legacy, namespace: plain}
        spec: {nodeName: node-1, containers: [{name: c, image: i}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: peer, namespace: plain}
        spec: {nodeName: node-2, containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}
        """;

    /// <summary>The pods with <paramref name="manifests"/> (builders or YAML), planned.</summary>
    public static ClusterState With(params object[] manifests) => Cluster.Valid(Yaml(manifests));

    /// <summary>The pods with <paramref name="manifests"/> (builders or YAML), as one file.</summary>
    public static string Yaml(params object[] manifests) =>
        Pods + string.Concat(manifests.Select(m => "\n---\n" + m switch
        {
            AuthorizationPolicyBuilder a => a.Yaml(),
            PeerAuthenticationBuilder p => p.Yaml(),
            _ => m.ToString(),
        }));
}
