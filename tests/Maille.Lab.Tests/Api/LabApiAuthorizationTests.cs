using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Maille.Engine;
using Maille.Engine.Allocation;
using Maille.Lab.Api;
using Maille.Model;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// The HTTPS listener judges every request by its caller's certificate before any handler runs (no root needed: the
/// API is served from a store, on a loopback port the system picks): a node agent's reads are answered, its writes
/// refused with a 403 Status, and <c>kubectl auth can-i</c>'s review answers by the same rules.
/// </summary>
public sealed class LabApiAuthorizationTests
{
    [Fact]
    public async Task A_node_agent_lists_pods_and_watches_services_but_may_not_create_a_pod_or_read_a_secret()
    {
        await using var api = await Served.StartAsync();
        using var node = api.Client(api.Node("node-1"));

        Assert.Equal(200, (await Send(node, HttpMethod.Get, "/api/v1/pods")).Status);
        Assert.Equal(200, (await Send(node, HttpMethod.Get, "/api/v1/services?watch=true&timeoutSeconds=1")).Status);
        var (created, status) = await Send(node, HttpMethod.Post, "/api/v1/namespaces/x/pods", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"b"}}""");
        Assert.Equal(403, created);
        Assert.Equal("Forbidden", (string?)status!["reason"]);
        Assert.Equal("pods is forbidden: User \"system:node:node-1\" cannot create resource \"pods\" in API group \"\" in the namespace \"x\"", (string?)status["message"]);
        Assert.Equal(403, (await Send(node, HttpMethod.Get, "/api/v1/namespaces/x/secrets/tls")).Status);
        Assert.Equal(200, (await Send(node, HttpMethod.Get, "/apis")).Status);
    }

    [Fact]
    public async Task An_access_review_answers_for_the_caller_by_the_same_rules()
    {
        await using var api = await Served.StartAsync();
        using var node = api.Client(api.Node("node-1"));
        using var admin = api.Client((api.Credentials.AdminCertificatePem, api.Credentials.AdminKeyPem));

        Assert.False(await MayAsync(node, "create", "pods"));
        Assert.True(await MayAsync(node, "watch", "services"));
        Assert.True(await MayAsync(admin, "create", "pods"));
    }

    private static async Task<bool> MayAsync(HttpClient client, string verb, string resource)
    {
        var review = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SelfSubjectAccessReview",
            ["spec"] = new JsonObject { ["resourceAttributes"] = new JsonObject { ["verb"] = verb, ["resource"] = resource, ["namespace"] = "x" } },
        };
        var (code, answer) = await Send(client, HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review.ToJsonString());
        Assert.Equal(201, code);
        return (bool)answer!["status"]!["allowed"]!;
    }

    private static async Task<(int Status, JsonNode? Body)> Send(HttpClient client, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 || !text.StartsWith('{') ? null : JsonNode.Parse(text.Split('\n')[0]));
    }

    /// <summary>The API served from a store over HTTPS on a loopback port the system picks, its authority in a temporary folder.</summary>
    private sealed record Served(LabApiServer Server, LabCredentials Credentials, DirectoryInfo Folder) : IAsyncDisposable
    {
        public static async Task<Served> StartAsync()
        {
            var folder = Directory.CreateTempSubdirectory("maille-authz-");
            var manifests = Maille.Kube.ManifestLoader.Load([new Maille.Kube.ManifestSource("lab.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\nspec: {containers: [{name: c}]}\n")]).Manifests;
            var plan = ClusterPlanner.Plan(manifests, ClusterConfig.Default, prior: PriorAllocations.None);
            var credentials = LabCredentials.LoadOrCreate(Path.Combine(folder.FullName, "pki"));
            var server = new LabApiServer(new LabStore(plan.Cluster!), Path.Combine(folder.FullName, "api.sock"), https: new LabApiHttps(0, credentials));
            await server.StartAsync(CancellationToken.None);
            return new Served(server, credentials, folder);
        }

        public (string CertificatePem, string KeyPem) Node(string name) => LabCredentials.ForNode(Path.Combine(Folder.FullName, "pki"), name);

        public HttpClient Client((string CertificatePem, string KeyPem) identity) =>
            LabHttpsClient.Create(Credentials.Authority, X509Certificate2.CreateFromPem(identity.CertificatePem, identity.KeyPem), Server.HttpsPort);

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            Folder.Delete(recursive: true);
        }
    }
}
