using Maille.Kube.Views;
using Maille.TestKit;

namespace Maille.Kube.Tests.Views;

// `maille describe pod`: a pod's networking, then its place in the mesh, said as a user needs it: in or out and why,
// its SPIFFE identity, and on a running lab the certificate its node proxy presents and when it expires.
public sealed class PodDescriptionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private const string Manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: meshed, labels: {istio.io/dataplane-mode: ambient}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: plain}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: api, namespace: meshed, labels: {app: api}}
        spec:
          serviceAccountName: api-sa
          containers: [{name: main, image: api:1, ports: [{containerPort: 8080, name: http}]}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: legacy, namespace: meshed, labels: {app: legacy, istio.io/dataplane-mode: none}}
        spec:
          containers: [{name: main, image: legacy:1}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: plain, labels: {app: web}}
        spec:
          containers: [{name: main, image: web:1, ports: [{containerPort: 80}]}]
        """;

    [Fact]
    public void A_meshed_pod_shows_its_networking_why_it_is_in_the_mesh_and_its_spiffe_identity()
    {
        var text = Describe("api", "meshed", certificateOf: null);

        Assert.Contains("Name:             api\nNamespace:        meshed\nService Account:  api-sa\nNode:             node-", text, StringComparison.Ordinal);
        Assert.Contains("    Ports:  8080/TCP (http)\n", text, StringComparison.Ordinal);
        Assert.Contains("  In mesh:      yes (namespace meshed's label istio.io/dataplane-mode=ambient)\n", text, StringComparison.Ordinal);
        Assert.Contains("  Identity:     spiffe://cluster.local/ns/meshed/sa/api-sa\n", text, StringComparison.Ordinal);
        Assert.Contains("  Certificate:  issued by its node proxy in a running lab (maille describe pod --lab)\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pod_out_of_the_mesh_says_why_and_has_no_identity()
    {
        var optedOut = Describe("legacy", "meshed", certificateOf: null);
        var plain = Describe("web", "plain", certificateOf: null);

        Assert.Contains("  In mesh:      no (the pod's label istio.io/dataplane-mode=none opts it out)\n", optedOut, StringComparison.Ordinal);
        Assert.Contains("  In mesh:      no (namespace plain has neither istio.io/dataplane-mode=ambient nor maille.dev/mesh=enabled)\n", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("Identity:", optedOut + plain, StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_running_lab_the_certificate_shows_its_serial_validity_and_time_to_expiry()
    {
        var certificate = new MeshCertificateFacts("0A1B2C", Now.AddMinutes(-10), Now.AddHours(23).AddMinutes(50));

        var text = Describe("api", "meshed", pod => pod == "meshed/api" ? certificate : null);

        Assert.Contains("  Certificate:  serial 0A1B2C\n    Not Before: 2026-12-06T11:50:00Z\n    Not After:  2026-12-07T11:50:00Z (expires in 23h)\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_certificate_and_a_pod_its_proxy_has_not_taken_in_yet_are_said_plainly()
    {
        var expired = Describe("api", "meshed", _ => new MeshCertificateFacts("FF", Now.AddHours(-2), Now.AddHours(-1)));
        var missing = Describe("api", "meshed", _ => null);

        Assert.Contains("(expired)", expired, StringComparison.Ordinal);
        Assert.Contains("  Certificate:  <none yet> (its node proxy has not taken the pod in)\n", missing, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_pod_is_not_found_as_kubectl_says_it()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = DescribeView.WritePods(Cluster.Valid(Manifests), "nope", "meshed", allNamespaces: false, certificateOf: null, TimeProvider.System, stdout, stderr);

        Assert.Equal(1, code);
        Assert.Equal("Error from server (NotFound): pods \"nope\" not found\n", stderr.ToString());
    }

    private static string Describe(string name, string ns, Func<string, MeshCertificateFacts?>? certificateOf)
    {
        var stdout = new StringWriter();
        var code = DescribeView.WritePods(Cluster.Valid(Manifests), name, ns, allNamespaces: false, certificateOf, new ManualTimeProvider(Now), stdout, new StringWriter());
        Assert.Equal(0, code);
        return stdout.ToString();
    }
}
