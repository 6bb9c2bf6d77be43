using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Maille.Kube.Live;
using Maille.Lab.Api;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// The lab as a Kubernetes API to the tools people use (issue 15): HTTPS on 127.0.0.1 with client certificates, the
/// kubeconfig <c>maille up</c> writes and <c>maille down</c> cleans, and the state folder only root can read.
/// Each test brings up the playground with its own kubeconfig file and takes it down, whatever happens.
/// </summary>
public sealed class LabKubernetesApiTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "maille-kubeapi-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly LiveLab _lab;
    private readonly ITestOutputHelper _output;

    public LabKubernetesApiTests(ITestOutputHelper output)
    {
        _output = output;
        _lab = LiveLab.Create(output, "--kubeconfig", Path.Combine(_folder, "config"));
    }

    private string KubeconfigPath => Path.Combine(_folder, "config");

    private string StateFolder => Path.Combine("/run/maille", _lab.Name);

    [SkippableFact]
    public async Task TheClientLibrary_ListsWatchesAndCreatesPodsOverTls_WithTheContextUpWrote_WhichDownRemoves()
    {
        Privileged.Require();
        Up();
        var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(KubeconfigPath));
        Assert.Equal($"maille-{_lab.Name}", config.CurrentContext);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new FileInfo(KubeconfigPath)));

        var version = await client.Version.GetCodeAsync();
        var pods = await client.CoreV1.ListPodForAllNamespacesAsync();
        var seen = new ConcurrentQueue<(WatchEventType Type, string Name)>();
        using var watcher = client.CoreV1.WatchListNamespacedPod("x", onEvent: (type, pod) => seen.Enqueue((type, pod.Metadata.Name)));
        var created = await client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "d", Labels = new Dictionary<string, string> { ["pod"] = "d" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "serve", Image = "maille/agnhost", Ports = [new V1ContainerPort { ContainerPort = 80 }] }] },
            },
            "x");

        Assert.Equal(
            ["x/a", "x/b", "x/c", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c"],
            pods.Items.Where(p => p.Metadata.NamespaceProperty != "kube-system").Select(p => $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}").Order(StringComparer.Ordinal));
        Assert.Equal("d", created.Metadata.Name);
        Assert.InRange(created.Metadata.CreationTimestamp!.Value, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(("1", "32"), (version.Major, version.Minor));
        Assert.StartsWith("v1.32.0+maille.", version.GitVersion, StringComparison.Ordinal);
        var watched = await Poll.UntilAsync("the watch reports x/d added", () => Task.FromResult(seen.Contains((WatchEventType.Added, "d"))), _output);
        Assert.True(watched.Met, "the watch never reported x/d: " + string.Join(", ", seen) + "; " + watched);
        Assert.Contains("d", (await client.CoreV1.ListNamespacedPodAsync("x")).Items.Select(p => p.Metadata.Name));

        // Workloads are served too, with the counts their controllers would report and the ReplicaSet a Deployment makes.
        await client.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = "web" },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 2,
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "serve", Image = "maille/agnhost", Ports = [new V1ContainerPort { ContainerPort = 80 }] }] },
                    },
                },
            },
            "x");
        var deployment = Assert.Single((await client.AppsV1.ListNamespacedDeploymentAsync("x")).Items);
        var replicaSet = Assert.Single((await client.AppsV1.ListNamespacedReplicaSetAsync("x")).Items);
        Assert.Equal((2, 2), (deployment.Spec.Replicas, deployment.Status.Replicas));
        Assert.Equal("Deployment", Assert.Single(replicaSet.Metadata.OwnerReferences).Kind);
        Assert.StartsWith("web-", replicaSet.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(2, (await client.CoreV1.ListNamespacedPodAsync("x")).Items.Count(p => p.Metadata.Name.StartsWith(replicaSet.Metadata.Name + "-", StringComparison.Ordinal)));

        Down();
        var after = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(KubeconfigPath));
        Assert.DoesNotContain($"maille-{_lab.Name}", after.Contexts.Select(c => c.Name));
        Assert.True(string.IsNullOrEmpty(after.CurrentContext));
    }

    [SkippableFact]
    public async Task OnlyTheLabsClientCertificates_AreServed_OnLoopbackOnly_AndTheStateIsRootsAlone()
    {
        Privileged.Require();
        var asked = FreeLoopbackPort();
        Up("--api-port", asked.ToString(CultureInfo.InvariantCulture));
        var port = (int)JsonNode.Parse(File.ReadAllText(Path.Combine(StateFolder, "status.json")))!["apiPort"]!;
        var authority = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(StateFolder, "pki", "ca.crt")));
        var admin = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(StateFolder, "pki", "admin.crt")), File.ReadAllText(Path.Combine(StateFolder, "pki", "admin.key")));
        var stranger = LabCredentials.LoadOrCreate(Path.Combine(_folder, "stranger"));
        var strangersAdmin = X509Certificate2.CreateFromPem(stranger.AdminCertificatePem, stranger.AdminKeyPem);

        var (anonymous, anonymousBody) = await Get(port, authority, null, "/api/v1/pods");
        var (foreign, _) = await Get(port, authority, strangersAdmin, "/api/v1/pods");
        var (allowed, _) = await Get(port, authority, admin, "/api/v1/pods");
        var (tabled, table) = await Get(port, authority, admin, "/api/v1/namespaces/x/pods", KubectlAccept);
        var (oneTabled, oneTable) = await Get(port, authority, admin, "/api/v1/namespaces/x/pods/a?includeObject=None", KubectlAccept);
        var (missingTabled, _) = await Get(port, authority, admin, "/api/v1/namespaces/x/pods/nobody", KubectlAccept);
        var watched = await FirstWatchEvent(port, authority, admin, "/api/v1/namespaces/x/pods?watch=true", KubectlAccept);

        // A watch from the version just listed starts there: its first event is the next change, not the pods again.
        var listed = JsonNode.Parse((await Get(port, authority, admin, "/api/v1/namespaces/x/pods")).Item2)!["metadata"]!["resourceVersion"]!.ToString();
        var next = FirstWatchEvent(port, authority, admin, $"/api/v1/namespaces/x/pods?watch=true&resourceVersion={listed}", "application/json");
        await Task.Delay(1000);   // the watch is connected and has read its starting state by then
        var podE = await Post(port, authority, admin, "/api/v1/namespaces/x/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"e\"},\"spec\":{\"containers\":[{\"name\":\"c\"}]}}");
        var afterList = await next;
        var tooLarge = await Post(port, authority, admin, "/api/v1/namespaces/x/pods", new string('x', (int)LabApiServer.MaxHttpsBodyBytes + 1));
        var execV4 = await ExecAsync(port, authority, admin, "v4.channel.k8s.io", "sh", "-c", "echo out; echo err >&2; exit 3");
        var execV5 = await ExecAsync(port, authority, admin, "v5.channel.k8s.io", "sh", "-c", "echo out");
        var standalone = MailleProcess.Run("kubeconfig", "--lab", _lab.Name);

        Assert.Equal(asked, port);   // --api-port fixes the port
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal("Status", (string?)JsonNode.Parse(anonymousBody)!["kind"]);
        Assert.Equal(HttpStatusCode.Unauthorized, foreign);
        Assert.Equal(HttpStatusCode.OK, allowed);

        // What kubectl get asks for: a Table with maille get's columns (wide ones at priority 1) and each row's metadata.
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound), (tabled, oneTabled, missingTabled));
        var pods = JsonNode.Parse(table)!;
        Assert.Equal(("Table", "meta.k8s.io/v1"), ((string?)pods["kind"], (string?)pods["apiVersion"]));
        Assert.Equal(
            ["NAME:0", "READY:0", "STATUS:0", "RESTARTS:0", "AGE:0", "IP:1", "NODE:1", "NOMINATED NODE:1", "READINESS GATES:1"],
            pods["columnDefinitions"]!.AsArray().Select(c => $"{c!["name"]}:{c["priority"]}"));
        var rows = pods["rows"]!.AsArray();
        Assert.Equal(["a", "b", "c"], rows.Select(r => (string?)r!["cells"]![0]));
        Assert.All(rows, r => Assert.Matches(@"^(\d)/\1 Running 0 \d+s 198\.19\.\d+\.\d+ node-\d <none> <none>$", string.Join(" ", r!["cells"]!.AsArray().Skip(1).Select(c => (string?)c))));
        Assert.All(rows, r => Assert.Equal(("PartialObjectMetadata", "x"), ((string?)r!["object"]!["kind"], (string?)r["object"]!["metadata"]!["namespace"])));
        var one = Assert.Single(JsonNode.Parse(oneTable)!["rows"]!.AsArray())!;
        Assert.Equal("a", (string?)one["cells"]![0]);
        Assert.Null(one["object"]);
        Assert.Equal(("ADDED", "Table", "a"), ((string?)watched["type"], (string?)watched["object"]!["kind"], (string?)Assert.Single(watched["object"]!["rows"]!.AsArray())!["cells"]![0]));
        Assert.Equal(HttpStatusCode.Created, podE);
        Assert.Equal(("ADDED", "e"), ((string?)afterList["type"], (string?)afterList["object"]!["metadata"]!["name"]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge);

        // pods/exec for a client that offers only v4.channel.k8s.io (older client-go, client libraries): the same streams.
        Assert.Equal("v4.channel.k8s.io", execV4.Protocol);
        Assert.Equal(("out\n", "err\n"), (execV4.Streams.GetValueOrDefault(1), execV4.Streams.GetValueOrDefault(2)));
        var failed = JsonNode.Parse(execV4.Streams[3])!;
        Assert.Equal(("Failure", "NonZeroExitCode"), ((string?)failed["status"], (string?)failed["reason"]));
        Assert.Equal("3", (string?)failed["details"]!["causes"]![0]!["message"]);
        Assert.Equal(("v5.channel.k8s.io", "out\n", "Success"), (execV5.Protocol, execV5.Streams.GetValueOrDefault(1), (string?)JsonNode.Parse(execV5.Streams[3])!["status"]));
        Assert.Equal(["127.0.0.1"], ListeningAddresses(port));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(StateFolder));
        Assert.All(
            Directory.EnumerateFileSystemEntries(StateFolder, "*", SearchOption.AllDirectories),
            path => Assert.Equal(Directory.Exists(path) ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path)));
        Assert.Equal(0, standalone.ExitCode);
        Assert.Contains($"server: https://127.0.0.1:{asked}\n", standalone.Stdout, StringComparison.Ordinal);
        var printed = Path.Combine(_folder, "standalone");
        File.WriteAllText(printed, standalone.Stdout);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new FileInfo(printed)));
        Assert.Equal(3, (await client.CoreV1.ListNodeAsync()).Items.Count);
    }

    public void Dispose()
    {
        _lab.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task The_analysis_commands_read_a_running_lab_through_its_API_and_find_what_they_find_in_its_files()
    {
        Privileged.Require();
        var policy = Path.Combine(PlaygroundScenario.Folder, "scenarios", "allow-ingress-from-namespace-y-only.yaml");
        var up = _lab.Run("up", "-f", PlaygroundScenario.PodsFile, "-f", policy);
        Assert.True(up.ExitCode == 0, up.Stderr);
        string[] cluster = ["--kubeconfig", KubeconfigPath, "--context", $"maille-{_lab.Name}"];

        var live = MailleProcess.Run(["matrix", .. cluster, "-n", "x", "--port", "80", "-o", "json"]);
        var offline = MailleProcess.Run(["matrix", "-f", PlaygroundScenario.PodsFile, "-f", policy, "-n", "x", "--port", "80", "-o", "json"]);

        Assert.True(live.ExitCode == 0, live.Stderr);
        var connections = JsonNode.Parse(live.Stdout)!["connections"]!.AsArray();
        Assert.Contains(connections, c => !(bool)c!["allowed"]!);   // the policy denies x's own pods: not a vacuous comparison
        Assert.Equal(offline.Stdout, live.Stdout);
        Assert.DoesNotContain("left out", live.Stderr, StringComparison.Ordinal);
        var pods = MailleProcess.Run(["get", "pods", "-n", "y", "-o", "wide", .. cluster]);
        Assert.True(pods.ExitCode == 0, pods.Stderr);
        Assert.Matches(@"\nb +4/4 +Running +0 +\S+ +198\.19\.\d+\.\d+ +node-\d", pods.Stdout);
        var both = MailleProcess.Run(["analyze", "-f", PlaygroundScenario.PodsFile, .. cluster]);
        Assert.Equal(1, both.ExitCode);
        Assert.Contains("one of the two", both.Stderr, StringComparison.Ordinal);
        var unknown = MailleProcess.Run(["analyze", "--kubeconfig", KubeconfigPath, "--context", "no-such-context"]);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no-such-context", unknown.Stderr, StringComparison.Ordinal);

        // The configuration kinds are read too: the IngressClass, MetalLB's objects, and the Secret an Ingress names for TLS.
        var shop = Path.Combine(Cluster.RepositoryRoot, "examples", "shop");
        var pool = Path.Combine(_folder, "pool.yaml");
        File.WriteAllText(pool, Fixtures.MetalLbEdge);
        var configured = MailleProcess.Run(["apply", "--lab", _lab.Name, "-f", Path.Combine(shop, "namespaces.yaml"), "-f", Path.Combine(shop, "ingress.yaml"), "-f", pool]);
        Assert.True(configured.ExitCode == 0, configured.Stderr);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new FileInfo(KubeconfigPath), $"maille-{_lab.Name}"));
        var read = await LiveClusterReader.ReadAsync(client, "lab");
        Assert.Null(read.Error);
        Assert.Empty(read.Notes);
        Assert.Contains("lab: ingressclasses maille", read.Sources.Select(s => s.Name));
        Assert.Contains("lab: secrets shop-web/shop-tls", read.Sources.Select(s => s.Name));
        Assert.Contains("lab: ipaddresspools metallb-system/edge", read.Sources.Select(s => s.Name));
        Assert.Contains("lab: l2advertisements metallb-system/edge", read.Sources.Select(s => s.Name));
    }

    private void Up(params string[] options)
    {
        var up = _lab.Run(["up", "-f", PlaygroundScenario.PodsFile, .. options]);
        Assert.True(up.ExitCode == 0, $"maille up failed ({up.ExitCode}): {up.Stderr}");
        Assert.Contains($"Set kubectl context to \"maille-{_lab.Name}\" (in {KubeconfigPath}).", up.Stdout, StringComparison.Ordinal);
    }

    private void Down() => _lab.Run("down");

    /// <summary>
    /// Runs <paramref name="command"/> in pod x/a through <c>pods/exec</c> (stdout and stderr, no stdin), offering only
    /// <paramref name="protocol"/>: the subprotocol the lab chose, and each stream's text by its channel byte until the lab closes.
    /// </summary>
    private static async Task<(string? Protocol, Dictionary<int, string> Streams)> ExecAsync(int port, X509Certificate2 authority, X509Certificate2 admin, string protocol, params string[] command)
    {
        using var client = Api.LabHttpsClient.Create(authority, admin);
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var query = string.Concat(command.Select(c => "command=" + Uri.EscapeDataString(c) + "&")) + "stdout=true&stderr=true";
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{port}/api/v1/namespaces/x/pods/a/exec?{query}"), client, timeout.Token);
        var streams = new Dictionary<int, string>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            System.Net.WebSockets.WebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer, timeout.Token);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);

            if (received.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
            {
                return (socket.SubProtocol, streams);
            }

            var bytes = message.ToArray();
            if (bytes.Length > 1)
            {
                streams[bytes[0]] = streams.GetValueOrDefault(bytes[0]) + System.Text.Encoding.UTF8.GetString(bytes, 1, bytes.Length - 1);
            }
        }
    }

    /// <summary>A loopback port nothing listens on now (the system's choice, released at once).</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The first line of a watch (kubectl get -w asks for tables).</summary>
    private static async Task<JsonNode> FirstWatchEvent(int port, X509Certificate2 authority, X509Certificate2 certificate, string path, string accept)
    {
        using var client = Api.LabHttpsClient.Create(authority, certificate);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://127.0.0.1:{port}{path}"));
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return JsonNode.Parse((await reader.ReadLineAsync(timeout.Token))!)!;
    }

    /// <summary>The Accept header kubectl 1.32 sends for <c>get</c>.</summary>
    private const string KubectlAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private static async Task<(HttpStatusCode, string)> Get(int port, X509Certificate2 authority, X509Certificate2? certificate, string path, string? accept = null)
    {
        using var client = Api.LabHttpsClient.Create(authority, certificate);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://127.0.0.1:{port}{path}"));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpStatusCode> Post(int port, X509Certificate2 authority, X509Certificate2 certificate, string path, string body)
    {
        using var client = Api.LabHttpsClient.Create(authority, certificate);
        using var content = new StringContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        // Expect: 100-continue, as kubectl's client sends large bodies: a body over the limit is refused (413) before
        // it is sent. Without it the server's answer races the upload, and the client can see a broken pipe instead.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"https://127.0.0.1:{port}{path}")) { Content = content };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>The local addresses of the host's listening TCP sockets on <paramref name="port"/> (/proc/net/tcp and tcp6).</summary>
    private static IReadOnlyList<string> ListeningAddresses(int port)
    {
        var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        return [.. new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .SelectMany(File.ReadLines)
            .Skip(0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 3 && f[3] == "0A" && f[1].EndsWith(":" + hexPort, StringComparison.Ordinal))
            .Select(f => f[1][..f[1].IndexOf(':', StringComparison.Ordinal)])
            .Select(hex => hex.Length == 8 ? new IPAddress(BitConverter.GetBytes(uint.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture))).ToString() : "ipv6:" + hex)
            .Distinct()];
    }
}
