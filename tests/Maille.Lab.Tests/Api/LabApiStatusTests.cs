using Maille.Engine;
using Maille.Engine.Allocation;
using Maille.Lab.Api;
using Maille.Model;

namespace Maille.Lab.Tests.Api;

/// <summary>The status subresource, on the lab's API over its Unix socket (no root needed): read as the object, written by the lab only.</summary>
public sealed class LabApiStatusTests
{
    private const string Pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\nspec: {containers: [{name: c}]}\n---\n";

    [Fact]
    public async Task Status_is_read_as_the_object_for_the_kinds_that_have_it_and_refused_for_writes()
    {
        var manifests = Maille.Kube.ManifestLoader.Load([new Maille.Kube.ManifestSource("lab.yaml", Pod)]).Manifests;
        var plan = ClusterPlanner.Plan(manifests, ClusterConfig.Default, prior: PriorAllocations.None);
        var folder = Directory.CreateTempSubdirectory("maille-status-");
        try
        {
            var socket = Path.Combine(folder.FullName, "api.sock");
            await using var server = new LabApiServer(new LabStore(plan.Cluster!), socket);
            await server.StartAsync(CancellationToken.None);
            using var api = new LabApiClient(socket);

            var (code, pod) = await api.SendAsync(HttpMethod.Get, "/api/v1/namespaces/x/pods/a/status", null);
            Assert.Equal(200, code);
            Assert.Equal(("Pod", "a"), ((string?)pod!["kind"], (string?)pod["metadata"]!["name"]));
            var (nodeCode, node) = await api.SendAsync(HttpMethod.Get, "/api/v1/nodes/node-1/status", null);
            Assert.Equal((200, "Node"), (nodeCode, (string?)node!["kind"]));
            Assert.Equal(404, (await api.SendAsync(HttpMethod.Get, "/apis/networking.k8s.io/v1/namespaces/x/networkpolicies/p/status", null)).Status);
            var (patched, refusal) = await api.SendAsync(HttpMethod.Patch, "/api/v1/namespaces/x/pods/a/status", """{"status":{"phase":"Failed"}}""", "application/merge-patch+json");
            Assert.Equal((405, "MethodNotAllowed"), (patched, (string?)refusal!["reason"]));
            Assert.Equal(405, (await api.SendAsync(HttpMethod.Put, "/api/v1/namespaces/x/status", """{"kind":"Namespace"}""", "application/json")).Status);
            var (_, core) = await api.SendAsync(HttpMethod.Get, "/api/v1", null);
            Assert.Contains(core!["resources"]!.AsArray(), r => (string?)r!["name"] == "pods/status");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
