using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Maille.Lab.Api;
using Maille.Lab.Labs;
using Maille.Lab.Probing;

namespace Maille.Cli.Compare;

/// <summary>
/// One lab of a comparison, up with <see cref="ComparisonWorkload"/>: where its client and server are, and the
/// measures taken in it. Every measure that sends traffic runs with this process (and so its children) in the lab's
/// cgroup, as <c>maille exec</c> does, so that the ebpf data plane's socket hooks act on it.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class ComparisonLab(string name, string mode, string dataplane) : IDisposable
{
    private static readonly TimeSpan ProgrammingLimit = TimeSpan.FromMinutes(10);

    private readonly LabApiClient _api = new(new LabState(name).ApiSocket);
    private Process? _iperfServer;

    public string Name => name;

    public string Mode => mode;

    public string Dataplane => dataplane;

    public ComparisonRow Row { get; set; } = new(mode, dataplane);

    public string ClientNamespace => LabNamespaces.Pod(name, $"{ComparisonWorkload.Namespace}/{ComparisonWorkload.ClientPod}");

    public string ServerNamespace => LabNamespaces.Pod(name, $"{ComparisonWorkload.Namespace}/{ComparisonWorkload.ServerPod}");

    public IPAddress ServerAddress { get; private set; } = IPAddress.None;

    public IPAddress IperfClusterIp { get; private set; } = IPAddress.None;

    /// <summary>The <c>web-N</c> ClusterIPs, in Service index order.</summary>
    public IReadOnlyList<IPAddress> WebClusterIps { get; private set; } = [];

    /// <summary>Reads the server's address and the Services' ClusterIPs from the lab's API.</summary>
    public async Task ReadAddressesAsync(CancellationToken cancellationToken)
    {
        var pods = await GetAsync($"/api/v1/namespaces/{ComparisonWorkload.Namespace}/pods", cancellationToken);
        var server = pods["items"]!.AsArray().Single(p => p!["metadata"]!["name"]!.GetValue<string>() == ComparisonWorkload.ServerPod);
        ServerAddress = IPAddress.Parse(server!["status"]!["podIP"]!.GetValue<string>());
        var services = await GetAsync($"/api/v1/namespaces/{ComparisonWorkload.Namespace}/services", cancellationToken);
        var web = new SortedDictionary<int, IPAddress>();
        foreach (var service in services["items"]!.AsArray())
        {
            var serviceName = service!["metadata"]!["name"]!.GetValue<string>();
            var address = IPAddress.Parse(service["spec"]!["clusterIP"]!.GetValue<string>());
            if (serviceName == ComparisonWorkload.IperfService)
            {
                IperfClusterIp = address;
            }
            else if (serviceName.StartsWith("web-", StringComparison.Ordinal) && int.TryParse(serviceName["web-".Length..], CultureInfo.InvariantCulture, out var index))
            {
                web[index] = address;
            }
        }

        WebClusterIps = [.. web.Values];
    }

    /// <summary>Puts this process in the lab's cgroup (ebpf labs have one), so the sockets it and its children open are the lab's.</summary>
    public void Enter() => LabNamespaces.JoinLabCgroup(name, Environment.ProcessId);

    public void StartIperfServer() => _iperfServer ??= Iperf3.StartServer(ServerNamespace, ComparisonWorkload.IperfPort);

    public Task<double> PodToPodAsync(int seconds, CancellationToken cancellationToken)
    {
        Enter();
        return Iperf3.RunAsync(ClientNamespace, new IPEndPoint(ServerAddress, ComparisonWorkload.IperfPort), seconds, cancellationToken);
    }

    public Task<double> PodToClusterIpAsync(int seconds, CancellationToken cancellationToken)
    {
        Enter();
        return Iperf3.RunAsync(ClientNamespace, new IPEndPoint(IperfClusterIp, ComparisonWorkload.IperfPort), seconds, cancellationToken);
    }

    /// <summary>Connects to the server pod's HTTP port.</summary>
    public Task<IReadOnlyList<double>> ConnectAsync(int count, CancellationToken cancellationToken)
    {
        Enter();
        return ConnectTimer.MeasureAsync(ClientNamespace, [new IPEndPoint(ServerAddress, ComparisonWorkload.HttpPort)], count, cancellationToken);
    }

    /// <summary>
    /// Connects to the web Services' ClusterIPs, each connect to the next of them in a fixed shuffled order (the
    /// same seed in every lab), so that the table's size and the destination's spread are what differ.
    /// </summary>
    public Task<IReadOnlyList<double>> FirstPacketAsync(int count, int round, CancellationToken cancellationToken)
    {
        Enter();
        var targets = WebClusterIps.Select(a => new IPEndPoint(a, ComparisonWorkload.HttpPort)).ToArray();
        new Random(round).Shuffle(targets);
        return ConnectTimer.MeasureAsync(ClientNamespace, targets, count, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="manifests"/> and waits until every node's parts named by <paramref name="counted"/>
    /// hold what <paramref name="programmed"/> says: the time from the call to the end of the last sync that got
    /// there, and that sync's own duration.
    /// </summary>
    public async Task<ProgrammingTime> ApplyAndTimeAsync(string manifests, IReadOnlyList<string> counted, Func<string, JsonNode, bool> programmed, CancellationToken cancellationToken)
    {
        var sent = DateTimeOffset.UtcNow;
        var (status, answer) = await _api.SendAsync(HttpMethod.Post, $"/apis/{LabApiServer.MailleGroup}/apply", manifests, timeout: TimeSpan.FromMinutes(10), cancellationToken: cancellationToken);
        if (status is < 200 or >= 300 || answer?["errors"]?.AsArray() is { Count: > 0 })
        {
            throw new IOException($"lab {name}: the apply was refused ({status}): {answer?["errors"]?.ToJsonString() ?? answer?["message"]?.ToString()}");
        }

        var limit = Stopwatch.StartNew();
        while (true)
        {
            var agents = await GetAsync($"/apis/{LabApiServer.MailleGroup}/nodeagents", cancellationToken);
            var parts = agents["items"]!.AsArray().SelectMany(a => counted.Select(part => (part, status: a!["parts"]?[part]))).ToList();
            if (parts.All(p => p.status is { } s && Synced(s) && programmed(p.part, s)))
            {
                var last = parts.Max(p => DateTimeOffset.Parse(p.status!["lastSyncAt"]!.GetValue<string>(), CultureInfo.InvariantCulture));
                var longest = parts.Max(p => p.status!["lastSyncMilliseconds"]!.GetValue<double>());
                return new ProgrammingTime((last - sent).TotalSeconds, longest);
            }

            if (limit.Elapsed > ProgrammingLimit)
            {
                var said = agents.ToJsonString();
                throw new IOException($"lab {name}: the change was not programmed on every node within {ProgrammingLimit.TotalMinutes:0} minutes: {said[..Math.Min(2000, said.Length)]}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    /// <summary>The parts of each node of this lab's data plane that program Services, as the node agents name them.</summary>
    public IReadOnlyList<string> ServiceParts => dataplane == "ebpf" ? ["services", "services-ebpf"] : ["services"];

    /// <summary>The part of each node that enforces NetworkPolicy.</summary>
    public IReadOnlyList<string> PolicyParts => dataplane == "ebpf" ? ["networkpolicy-ebpf"] : ["networkpolicy"];

    /// <summary>The fewest Service ports any part of <see cref="ServiceParts"/> holds now, on any node.</summary>
    public async Task<int> ServicePortCountAsync(CancellationToken cancellationToken)
    {
        var agents = await GetAsync($"/apis/{LabApiServer.MailleGroup}/nodeagents", cancellationToken);
        return agents["items"]!.AsArray().Min(a => ServiceParts.Min(p => a!["parts"]?[p]?["servicePortCount"]?.GetValue<int>() ?? 0));
    }

    /// <summary>The lab daemon's resident memory (VmRSS), MB.</summary>
    public double DaemonMemoryMb()
    {
        var pid = new LabState(name).ReadPid() ?? throw new IOException($"lab {name} has no daemon");
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }

    public void Dispose()
    {
        if (_iperfServer is { } server)
        {
            try
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // It had exited already.
            }

            server.Dispose();
        }

        _api.Dispose();
    }

    /// <summary>Whether a part has synced the latest state it was given, without error.</summary>
    private static bool Synced(JsonNode status) =>
        status["syncedGeneration"]?.GetValue<long>() is { } synced && status["requestedGeneration"]?.GetValue<long>() is { } requested
        && synced >= requested && string.IsNullOrEmpty(status["lastError"]?.GetValue<string>());

    private async Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken)
    {
        var (status, answer) = await _api.SendAsync(HttpMethod.Get, path, null, cancellationToken: cancellationToken);
        return status == 200 && answer is not null ? answer : throw new IOException($"lab {name}: GET {path} answered {status}");
    }
}
