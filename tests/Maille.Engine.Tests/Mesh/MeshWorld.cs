using Maille.Engine.Mesh;
using Maille.Engine.NetworkPolicies;
using Maille.Engine.Trace;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.Mesh;

/// <summary>
/// The mesh tests' world: namespace <c>front</c> joins the mesh with Istio's label, <c>back</c> with Maille's,
/// <c>outside</c> stays out. front/web (service account web) and front/admin (admin); back/api (api, ports 8080 and
/// 9090), back/db (no service account: default, port 5432) and back/legacy (opted out with
/// <c>istio.io/dataplane-mode: none</c>, port 8080); outside/client (port 80). Every pod is labelled <c>app: NAME</c>.
/// A test adds policies (builders or YAML) and asks the engine.
/// </summary>
internal sealed class MeshWorld
{
    private const string Pods = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: front, labels: {istio.io/dataplane-mode: ambient}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: back, labels: {maille.dev/mesh: enabled}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: outside}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: front, labels: {app: web}}
        spec: {serviceAccountName: web, containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: admin, namespace: front, labels: {app: admin}}
        spec: {serviceAccountName: admin, containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: api, namespace: back, labels: {app: api}}
        spec: {serviceAccountName: api, containers: [{name: c, image: i, ports: [{containerPort: 8080}, {containerPort: 9090}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: db, namespace: back, labels: {app: db}}
        spec: {containers: [{name: c, image: i, ports: [{containerPort: 5432}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: legacy, namespace: back, labels: {app: legacy, istio.io/dataplane-mode: none}}
        spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client, namespace: outside, labels: {app: client}}
        spec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
        """;

    private MeshWorld(ClusterState cluster)
    {
        Cluster = cluster;
        Mesh = MeshAuthorizer.For(cluster);
        Policy = NetworkPolicyEvaluator.For(cluster);
    }

    public ClusterState Cluster { get; }

    public MeshAuthorizer Mesh { get; }

    public NetworkPolicyEvaluator Policy { get; }

    /// <summary>The world with these manifests added: AuthorizationPolicy and PeerAuthentication builders, or YAML text.</summary>
    public static MeshWorld With(params object[] manifests) =>
        new(TestKit.Cluster.Valid(Pods + string.Concat(manifests.Select(m => "\n---\n" + m switch
        {
            AuthorizationPolicyBuilder a => a.Yaml(),
            PeerAuthenticationBuilder p => p.Yaml(),
            string yaml => yaml,
            _ => throw new ArgumentException($"not a manifest: {m}", nameof(manifests)),
        }))));

    public Pod Pod(string name) => Cluster.PodsByName[name];

    /// <summary>The destination node proxy's decision for TCP from <paramref name="from"/> to <paramref name="to"/>:<paramref name="port"/>.</summary>
    public MeshVerdict Verdict(string from, string to, int port) =>
        Mesh.Authorize(Policy.EndpointOf(Pod(from)), Pod(to), port, Protocol.TCP);

    public bool Allows(string from, string to, int port) => Verdict(from, to, port).Allowed;

    /// <summary>The matrix over every pod on TCP <paramref name="port"/>, with the mesh.</summary>
    public ReachabilityMatrix Matrix(int port) =>
        ReachabilityMatrix.Compute(Policy, Cluster.Pods, [new PortProtocol(port, Protocol.TCP)], Mesh);

    /// <summary>The matrix's cell (<c>.</c>, <c>X</c> or <c>M</c>) for TCP <paramref name="port"/>.</summary>
    public string Cell(string from, string to, int port)
    {
        var matrix = Matrix(port);
        var rows = matrix.Pods.Select(p => p.QualifiedName).ToList();
        return matrix.Cell(0, rows.IndexOf(from), rows.IndexOf(to));
    }

    /// <summary>A trace from a pod (or <c>external</c>) to <c>NS/POD:PORT</c> or a Service name.</summary>
    public TraceResult Trace(string from, string to)
    {
        var source = from == "external"
            ? new TraceSource(null, Tracer.DefaultExternalAddress(Cluster.Config))
            : new TraceSource(Pod(from), Pod(from).Status.PodIP!);
        return Tracer.For(Cluster).Trace(source, TraceTarget.TryParse(to, "cluster.local", out var error) ?? throw new InvalidOperationException(error));
    }
}
