using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Maille.Lab.Agent;

namespace Maille.Lab.Tests.Agent;

// On a real cluster nobody creates a node's NodeAgent before its agent reports, and a custom resource is only updated
// with its current resourceVersion: the agent's status report must create the object and carry the version itself.
// The API here is a fake with a real API server's answers (FakeCustomResourceApi), so no cluster is needed.
public sealed class NodeAgentStatusWriterTests : IDisposable
{
    private const string Collection = "/apis/maille.dev/v1alpha1/nodeagents";

    private readonly FakeCustomResourceApi _api = new(Collection);

    [Fact]
    public async Task The_first_report_on_a_cluster_without_the_object_creates_it_then_writes_its_status()
    {
        var writer = Writer();

        await writer.WriteAsync(new JsonObject { ["syncs"] = 1 }, CancellationToken.None);

        Assert.Equal([$"PUT {Collection}/node-1/status", $"POST {Collection}", $"PUT {Collection}/node-1/status"], _api.Requests);
        Assert.Equal(1, (int)_api.Stored("node-1")!["status"]!["syncs"]!);
    }

    [Fact]
    public async Task A_restarted_agent_reads_the_version_once_and_then_each_report_is_one_request()
    {
        _api.Store("node-1", new JsonObject { ["syncs"] = 7 });
        var writer = Writer();

        await writer.WriteAsync(new JsonObject { ["syncs"] = 1 }, CancellationToken.None);
        await writer.WriteAsync(new JsonObject { ["syncs"] = 2 }, CancellationToken.None);

        Assert.Equal([$"PUT {Collection}/node-1/status", $"GET {Collection}/node-1", $"PUT {Collection}/node-1/status", $"PUT {Collection}/node-1/status"], _api.Requests);
        Assert.Equal(2, (int)_api.Stored("node-1")!["status"]!["syncs"]!);
    }

    [Fact]
    public async Task A_report_over_someone_elses_write_reads_the_new_version_and_wins()
    {
        var writer = Writer();
        await writer.WriteAsync(new JsonObject { ["syncs"] = 1 }, CancellationToken.None);
        _api.Store("node-1", new JsonObject { ["edited"] = true });
        _api.Requests.Clear();

        await writer.WriteAsync(new JsonObject { ["syncs"] = 2 }, CancellationToken.None);

        Assert.Equal([$"PUT {Collection}/node-1/status", $"GET {Collection}/node-1", $"PUT {Collection}/node-1/status"], _api.Requests);
        Assert.Equal(new JsonObject { ["syncs"] = 2 }.ToJsonString(), _api.Stored("node-1")!["status"]!.ToJsonString());
    }

    [Fact]
    public async Task A_create_the_API_refuses_is_the_reports_failure_after_one_attempt_not_a_loop()
    {
        // An API that serves no NodeAgent at all (no CRD installed): every path answers 404.
        var api = new FakeCustomResourceApi("/apis/elsewhere");
        var writer = new NodeAgentStatusWriter(new Kubernetes(new KubernetesClientConfiguration { Host = "http://api.test" }, api), "node-1");

        await Assert.ThrowsAsync<HttpOperationException>(() => writer.WriteAsync(new JsonObject(), CancellationToken.None));
        Assert.Equal([$"PUT {Collection}/node-1/status", $"POST {Collection}"], api.Requests);
    }

    public void Dispose() => _api.Dispose();

    private NodeAgentStatusWriter Writer() => new(new Kubernetes(new KubernetesClientConfiguration { Host = "http://api.test" }, _api), "node-1");
}
