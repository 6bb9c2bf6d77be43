using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.Dataplane.Nftables;
using Maille.Kube.Live;
using Maille.Lab.NodeAgents;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Agent;

/// <summary>
/// <c>maille agent</c>: one node's data plane as an API client, the way kube-proxy and a CNI's agent run on a real
/// node. It lists and watches what its parts may see (<see cref="AgentParts.Kinds"/>) through KubernetesClient, with
/// <see cref="ObjectInformer{T, TList}"/> (resume, relist on 410, backoff, a cache that outlives an outage), assembles
/// the cluster from those objects (<see cref="AgentObjects"/>), and hands it to the same <see cref="NodeAgent"/> the lab's
/// daemon runs in process: its parts program the network namespace the agent runs in.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Nothing is programmed before every watch has listed once (kube-proxy waits for its caches too): a partial view
/// would delete rules that are still wanted. Nothing is ever flushed at start or exit: a restarted agent finds its
/// tables, writes them again in full, and connections carry on meanwhile.</item>
/// <item>While the API is unreachable the caches keep what they had, so no rule is removed.</item>
/// <item>Drift: looked for at each commit the kernel announces (<see cref="NftChangeMonitor"/>), else every
/// <see cref="AgentOptions.DriftCheckInterval"/>; each repair is counted in the status.</item>
/// <item>Status: after each sync, <c>PUT /apis/maille.dev/v1alpha1/nodeagents/NODE/status</c>, with how far the agent
/// has read (<c>observedVersion</c>: the lowest version its watches reached) so that the lab can answer a change once
/// every agent has programmed it.</item>
/// </list>
/// </remarks>
public sealed partial class NodeAgentHost(IKubernetes client, AgentOptions options, ILoggerFactory loggers) : IDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<NodeAgentHost>();
    private readonly AgentObjects _objects = new();
    private readonly NodeAgentStatusWriter _status = new(client, options.Node);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<IObjectInformer> _informers = [];
    private readonly List<string> _notes = [];
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly NftDriftTracker _drift = new(NftGeneration.Current, () => NftRuleFingerprint.Of(OwnTables(options)));
    private readonly System.Threading.Channels.Channel<(long? Observed, IReadOnlyList<long> Generations)> _synceds =
        System.Threading.Channels.Channel.CreateUnbounded<(long? Observed, IReadOnlyList<long> Generations)>(new() { SingleReader = true, SingleWriter = true });
    private readonly FullSyncCompaction _compaction = new(TimeSpan.FromSeconds(1));
    private NftChangeMonitor? _changes;
    private long _repairs;
    private string? _reportError;

    /// <summary>The health endpoint told of each finished sync (<c>--healthz-bind-address</c>), when the agent serves one.</summary>
    public AgentHealth? Health { get; init; }

    public async Task<int> RunAsync(CancellationToken stopping)
    {
        var kinds = AgentParts.Kinds(options.Parts);
        try
        {
            await StartInformersAsync(kinds, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped while the API could not be reached yet: nothing was programmed, nothing is left to do.
            LogStopping(options.Node);
            foreach (var informer in _informers)
            {
                await informer.DisposeAsync();
            }

            return 0;
        }

        // Never disposed: disposing the parts deletes their tables, and an agent that stops (SIGTERM, a node stopped, an
        // upgrade) leaves its rules in the kernel for the next one, as kube-proxy does. The process's end frees the rest.
        _changes = OpenChangeMonitor();
        var agent = CreateAgent();
        var (partNames, kindNames) = (string.Join(",", options.Parts.Order(StringComparer.Ordinal)), string.Join(",", kinds.Order(StringComparer.Ordinal)));
        LogWatching(options.Node, partNames, kindNames);
        try
        {
            await Task.WhenAll(_informers.Select(i => i.Synced)).WaitAsync(stopping);
            LogSynced(_objects.Received);
            var drift = WatchDriftAsync(agent, stopping);
            var reporting = ReportLoopAsync(agent, stopping);
            IReadOnlyList<long> generations = [];
            var first = true;
            while (!stopping.IsCancellationRequested)
            {
                var observed = ObservedVersion();
                if (_objects.HasPending || first)
                {
                    first = false;
                    var cluster = _objects.Build(options.Config, options.Parts.Contains(AgentParts.L2Announcer));
                    if (cluster.NodesByName.ContainsKey(options.Node))
                    {
                        generations = agent.Sync(cluster);
                    }
                    else
                    {
                        LogNodeMissing(options.Node);
                    }
                }

                // Reported once the parts have synced what was read up to `observed`; the next change is read meanwhile.
                _synceds.Writer.TryWrite((observed, generations));
                await _wake.WaitAsync(stopping);

                // The events of one API change come on several watches within a few milliseconds: one sync for all.
                await Task.Delay(options.ChangeBatchWindow, stopping);
                while (_wake.Wait(0, CancellationToken.None))
                {
                }
            }

            await Task.WhenAll(drift, reporting);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            LogStopping(options.Node);
        }
        finally
        {
            foreach (var informer in _informers)
            {
                await informer.DisposeAsync();
            }
        }

        return 0;
    }

    public void Dispose()
    {
        _changes?.Stop();
        _changes?.Dispose();
        _wake.Dispose();
        _compaction.Dispose();
    }

    /// <summary>
    /// Whether this process runs outside every lab namespace (<c>maille-…</c> under /run/netns): most likely the machine's
    /// own, which an agent programs only when told to (a hostNetwork pod on a real node).
    /// </summary>
    public static bool MayBeOnTheHostsOwnNetwork() => NetworkNamespace.NameOfProcessNamespace() is not { } name || !name.StartsWith(NetworkNamespace.NamePrefix, StringComparison.Ordinal);

    /// <summary>The parts, programming the namespace this process runs in; the status of each is reported as the lab's in-process agents' is.</summary>
    private NodeAgent CreateAgent()
    {
        var own = NetworkNamespace.OfProcess(options.Node);
        var ebpf = options.Dataplane == Model.DataplaneKind.Ebpf;
        var (proxy, policy) = (options.Parts.Contains(AgentParts.ServiceProxy), options.Parts.Contains(AgentParts.NetworkPolicy));
        var parts = new NodeAgentParts
        {
            Services = proxy ? new ServiceProxyPart(new NodeServiceProxy(own, options.Node, new NodeServiceProxyOptions { ClusterIPAtSocket = ebpf })) : null,
            Policy = policy && !ebpf ? new NodePolicyEnforcer(own, options.Node, new NodePolicyEnforcerOptions { FlushDeniedConnections = options.FlushDeniedConnections }) : null,
            SocketLoadBalancer = proxy && ebpf ? SocketLoadBalancer(own) : null,
            PodPolicy = policy && ebpf
                ? new PodPolicyPart(new Dataplane.Linux.Ebpf.NodePodPolicy(own, options.Node, pinDirectory: Path.Combine(options.BpfPins!, "pod-policy")), NodePodVeths, options.FlushDeniedConnections)
                : null,
            LoadBalancer = options.Parts.Contains(AgentParts.L2Announcer)
                ? new L2AnnouncerPart(options.Node, own, _objects.NotReadyNodes, new L2Ownership(), loggers.CreateLogger<L2AnnouncerPart>(), NodeInterface())
                : null,
        };
        NodeAgent? agent = null;
        agent = new NodeAgent(options.Node, parts, RunnerOptions(), logger: _logger, hooks: Hooks(() => agent!));
        return agent;
    }

    /// <summary>
    /// With commits announced, a hand edit of the policy table is seen when it is made: its full sync comes hourly, as
    /// the Service table's does (kube-proxy's nftables period), instead of every minute, and an idle agent stays asleep.
    /// </summary>
    private NodeAgentOptions RunnerOptions()
    {
        var defaults = new NodeAgentOptions();
        return _changes is null || options.Dataplane != Model.DataplaneKind.Nftables
            ? defaults
            : defaults with { Policy = defaults.Policy with { FullSyncInterval = NodeAgentOptions.ServiceFullSyncInterval } };
    }

    /// <summary>
    /// The ebpf data plane's socket load balancer of this node (a lab's: the programs act on the sockets of the namespaces
    /// of the node's pods, named after the lab this agent's namespace belongs to), on the cgroup the daemon handed over,
    /// its maps and links pinned so that they outlive this process.
    /// </summary>
    private SocketLoadBalancerPart SocketLoadBalancer(NetworkNamespace own)
    {
        var name = NetworkNamespace.NameOfProcessNamespace();
        var lab = (name is null ? null : Dataplane.Linux.Lab.LabNames.LabOf(name))
            ?? throw new InvalidOperationException($"--dataplane ebpf programs a lab's node: this agent runs in namespace {name ?? "(unnamed)"}, which is no lab's");
        var cgroup = Dataplane.Linux.Ebpf.LabCgroup.At(options.Cgroup!);
        var node = options.Node;
        return new SocketLoadBalancerPart(
            new Dataplane.Linux.Ebpf.NodeSocketLoadBalancer(own, node, cgroup,
                cluster => [.. Labs.LabTopologyMapper.LabPods(cluster).Where(p => p.Spec.NodeName == node).Select(p => Dataplane.Linux.Lab.LabNames.Pod(lab, p.QualifiedName))],
                NodeInterface(), pinDirectory: Path.Combine(options.BpfPins!, "socket-lb")),
            cgroup.Path);
    }

    /// <summary>The node-side veths of this node's pods (the ebpf data plane's NetworkPolicy programs go on each).</summary>
    private HashSet<string> NodePodVeths(Engine.ClusterState cluster) =>
        [.. Labs.LabTopologyMapper.LabPods(cluster).Where(p => p.Spec.NodeName == options.Node).Select(p => Dataplane.Linux.Lab.LabNames.PodHostInterface(p.QualifiedName))];

    /// <summary>The interface the announcer answers ARP on: the lab's node interface, else the one that holds the node's address.</summary>
    private static string NodeInterface() => Environment.GetEnvironmentVariable("MAILLE_NODE_INTERFACE") is { Length: > 0 } name ? name : Dataplane.Linux.Lab.LabNames.NodeInterface;

    /// <summary>
    /// The parts' syncs, one at a time, each bracketed: before it, drift is looked for; after it, when it wrote to the
    /// agent's tables, the generation and the rules they hold are noted as the agent's own (<see cref="NftDriftTracker"/>).
    /// </summary>
    private NodePartSyncHooks Hooks(Func<NodeAgent> agent) => new(
        () =>
        {
            // Out of the group inside the tracker's gate, which the parts' runners (threads of their own) take one at a
            // time: a part that rejoined while another still committed would hear that commit and take it for drift.
            var drift = _drift.BeginSync();
            _changes?.Pause();
            if (drift is not null)
            {
                Drifted(agent(), drift.Value);
            }
        },
        (part, result) =>
        {
            _changes?.Resume();
            _drift.EndSync(committed: part is ServiceProxyPart or NodePolicyEnforcer && result is not { CommandCount: 0 });
            if (result is { Full: true, Error: null })
            {
                _compaction.FullSyncWritten();
            }
        });

    /// <summary>The nftables tables the agent's parts write.</summary>
    private static IEnumerable<(string Family, string Table)> OwnTables(AgentOptions options) =>
        new[]
        {
            (AgentParts.ServiceProxy, ServiceRulesetBuilder.Family, ServiceRulesetBuilder.Table),
            (AgentParts.NetworkPolicy, PolicyRulesetBuilder.Family, PolicyRulesetBuilder.Table),
        }.Where(t => options.Parts.Contains(t.Item1)).Select(t => (t.Item2, t.Item3));

    private void Drifted(NodeAgent agent, NftDrift drift)
    {
        Interlocked.Increment(ref _repairs);
        LogDrift(options.Node, drift.Current, drift.Own);
        agent.Repair();
        _wake.Release();
    }

    /// <summary>
    /// Looks for drift each time the kernel announces a commit to the namespace's ruleset (<see cref="NftChangeMonitor"/>),
    /// on a thread of its own that sleeps in poll meanwhile; every <see cref="AgentOptions.DriftCheckInterval"/> instead
    /// when the announcements cannot be had.
    /// </summary>
    private Task WatchDriftAsync(NodeAgent agent, CancellationToken stopping)
    {
        if (_changes is not { } changes)
        {
            return PollDriftAsync(agent, stopping);
        }

        return Task.Factory.StartNew(
            () =>
            {
                using var stop = stopping.Register(changes.Stop);
                var own = OwnTables(options).ToHashSet();
                while (changes.WaitForChange() is { } announced)
                {
                    if (_drift.Announced(announced.Tables.Overlaps(own), announced.Complete) is { } drift)
                    {
                        Drifted(agent, drift);
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>The announcements, or null (logged) when this kernel or this process's capabilities refuse them.</summary>
    private NftChangeMonitor? OpenChangeMonitor()
    {
        try
        {
            return NftChangeMonitor.Open();
        }
        catch (IOException e)
        {
            LogNoChangeMonitor(options.Node, e.Message, (int)options.DriftCheckInterval.TotalMilliseconds);
            return null;
        }
    }

    private async Task PollDriftAsync(NodeAgent agent, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.DriftCheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                if (_drift.Check() is { } drift)
                {
                    Drifted(agent, drift);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Reports in order: each entry once its parts' syncs are done, entries already synced by then folded into one
    /// report of the latest version read.
    /// </summary>
    private async Task ReportLoopAsync(NodeAgent agent, CancellationToken stopping)
    {
        try
        {
            while (await _synceds.Reader.WaitToReadAsync(stopping))
            {
                long? observed = null;
                while (_synceds.Reader.TryRead(out var entry))
                {
                    await agent.WhenSyncedAsync(entry.Generations, _ => true, stopping);
                    observed = entry.Observed ?? observed;
                }

                Health?.Synced(agent.Status.LastError);
                await ReportAsync(agent, observed, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>The lowest version the watches have reached: every change up to it is in the agent's caches.</summary>
    private long? ObservedVersion()
    {
        long? lowest = null;
        foreach (var informer in _informers)
        {
            if (!long.TryParse(informer.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                return null;
            }

            lowest = lowest is null ? v : Math.Min(lowest.Value, v);
        }

        return lowest;
    }

    private async Task ReportAsync(NodeAgent agent, long? observed, CancellationToken stopping)
    {
        var status = new JsonObject
        {
            ["node"] = options.Node,
            ["running"] = agent.Running,
            ["process"] = Environment.ProcessId,
            ["startedAt"] = _started.ToString("O", CultureInfo.InvariantCulture),
            ["observedVersion"] = observed?.ToString(CultureInfo.InvariantCulture),
            ["syncs"] = agent.Status.Syncs,
            ["lastSyncMilliseconds"] = agent.Status.LastSyncMilliseconds,
            ["lastError"] = agent.Status.LastError,
            ["repairs"] = Interlocked.Read(ref _repairs),
            ["objectsReceived"] = _objects.Received,
            ["rejected"] = new JsonObject(_objects.Rejected.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))),
            ["watches"] = new JsonArray([.. _informers.Select(i => (JsonNode)new JsonObject
            {
                ["resource"] = i.Resource,
                ["resourceVersion"] = i.ResourceVersion,
                ["lists"] = i.Lists,
                ["failures"] = i.Failures,
                ["lastError"] = i.LastError,
            })]),
            ["notes"] = new JsonArray([.. _notes.Select(n => (JsonNode)n)]),
            ["parts"] = new JsonObject(agent.Runners.Select(r => KeyValuePair.Create(r.Name, (JsonNode?)Api.NodeAgentsResource.Part(r.Status)))),
        };
        try
        {
            await _status.WriteAsync(status, stopping);
            _reportError = null;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException)
        {
            // The API is away: the rules stay as they are, and the next sync reports again.
            if (_reportError != e.Message)
            {
                LogReportFailed(options.Node, e.Message);
            }

            _reportError = e.Message;
        }
    }

    private async Task StartInformersAsync(IReadOnlySet<string> kinds, CancellationToken stopping)
    {
        if (kinds.Contains("Node"))
        {
            Watch<V1Node, V1NodeList>("nodes", "v1", "Node", c => client.CoreV1.ListNodeAsync(cancellationToken: c),
                (v, e, c) => client.CoreV1.WatchListNodeAsync(allowWatchBookmarks: true, resourceVersion: v, timeoutSeconds: 1800, onError: e, cancellationToken: c),
                node => _objects.NodeReadiness(node.Metadata.Name, node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status is { } ready ? ready == "True" : null));
        }

        if (kinds.Contains("Service"))
        {
            Watch<V1Service, V1ServiceList>("services", "v1", "Service", c => client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: c),
                (v, e, c) => client.CoreV1.WatchListServiceForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: v, timeoutSeconds: 1800, onError: e, cancellationToken: c));
        }

        if (kinds.Contains("EndpointSlice"))
        {
            Watch<V1EndpointSlice, V1EndpointSliceList>("endpointslices", "discovery.k8s.io/v1", "EndpointSlice", c => client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(cancellationToken: c),
                (v, e, c) => client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: v, timeoutSeconds: 1800, onError: e, cancellationToken: c));
        }

        if (kinds.Contains("Pod"))
        {
            Watch<V1Pod, V1PodList>("pods", "v1", "Pod", c => client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: c),
                (v, e, c) => client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: v, timeoutSeconds: 1800, onError: e, cancellationToken: c));
        }

        if (kinds.Contains("Namespace"))
        {
            Watch<V1Namespace, V1NamespaceList>("namespaces", "v1", "Namespace", c => client.CoreV1.ListNamespaceAsync(cancellationToken: c),
                (v, e, c) => client.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: true, resourceVersion: v, timeoutSeconds: 1800, onError: e, cancellationToken: c));
        }

        if (kinds.Contains("NetworkPolicy"))
        {
            Watch<V1NetworkPolicy, V1NetworkPolicyList>("networkpolicies", "networking.k8s.io/v1", "NetworkPolicy", c => client.NetworkingV1.ListNetworkPolicyForAllNamespacesAsync(cancellationToken: c),
                (v, e, c) => client.NetworkingV1.WatchListNetworkPolicyForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: v, timeoutSeconds: 1800, onError: e, cancellationToken: c));
        }

        // Custom resources, watched as untyped objects; a cluster that does not serve one goes without it. Without
        // MetalLB's kinds the agent announces from the configuration's pools, as the lab does; without
        // ClusterNetworkPolicy, NetworkPolicy alone decides (and the v1alpha1 kinds, on a cluster that still serves
        // them, are read onto the same model).
        var custom = new[]
        {
            ("metallb.io", "v1beta1", "ipaddresspools", "IPAddressPool", "the configuration's pools are used"),
            ("metallb.io", "v1beta1", "l2advertisements", "L2Advertisement", "the configuration's pools are used"),
            (Maille.Model.PolicyApi.Group, "v1alpha2", "clusternetworkpolicies", Maille.Model.PolicyApi.ClusterNetworkPolicyKind, "NetworkPolicy alone is enforced"),
            (Maille.Model.PolicyApi.Group, "v1alpha1", "adminnetworkpolicies", Maille.Model.PolicyApi.AdminNetworkPolicyKind, "no v1alpha1 AdminNetworkPolicy is enforced"),
            (Maille.Model.PolicyApi.Group, "v1alpha1", "baselineadminnetworkpolicies", Maille.Model.PolicyApi.BaselineAdminNetworkPolicyKind, "no v1alpha1 BaselineAdminNetworkPolicy is enforced"),
        };
        foreach (var (group, version, plural, kind, without) in custom.Where(k => kinds.Contains(k.Item4)))
        {
            if (!await IsServedAsync(group, version, plural, stopping))
            {
                _notes.Add($"{plural}.{group}: not served, {without}");
                continue;
            }

            Watch<MetalLbObject, MetalLbObjectList>(plural, $"{group}/{version}", kind, c => client.CustomObjects.ListClusterCustomObjectAsync<MetalLbObjectList>(group, version, plural, cancellationToken: c),
                (v, e, c) => Typed(client.CustomObjects.WatchListClusterCustomObjectAsync(group, version, plural, allowWatchBookmarks: true, resourceVersion: v, timeoutSeconds: 1800, onError: e, cancellationToken: c)));
        }
    }

    /// <summary>A custom resource's watch events with their objects read as <see cref="MetalLbObject"/>.</summary>
    private static async IAsyncEnumerable<(WatchEventType, MetalLbObject)> Typed(IAsyncEnumerable<(WatchEventType, object)> events)
    {
        await foreach (var (type, item) in events)
        {
            if (KubernetesJson.Deserialize<MetalLbObject>(KubernetesJson.Serialize(item)) is { } typed)
            {
                yield return (type, typed);
            }
        }
    }

    private void Watch<T, TList>(string resource, string apiVersion, string kind, Func<CancellationToken, Task<TList>> list, Func<string?, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch, Action<T>? seen = null)
        where T : IKubernetesObject<V1ObjectMeta>
        where TList : IKubernetesObject<V1ListMeta>, IItems<T>
    {
        var informer = new ObjectInformer<T, TList>(
            resource,
            list,
            watch,
            change =>
            {
                string? json = null;
                if (change.Type != InformerChangeType.Deleted)
                {
                    // A list's items and a watch's objects may come without apiVersion and kind; the loader needs them.
                    change.Object.ApiVersion = apiVersion;
                    change.Object.Kind = kind;
                    json = KubernetesJson.Serialize(change.Object);
                    seen?.Invoke(change.Object);
                }

                _objects.Changed(kind, change.Key, json);
            },
            new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(5), KeepObjects = false },
            () => _wake.Release());
        _informers.Add(informer);
        informer.Start();
    }

    /// <summary>
    /// Whether the API serves a custom resource (a list of one answers; 404 means not). While the API cannot be reached
    /// (an agent started before its API server, a lab daemon restarting) it asks again with a capped, jittered backoff,
    /// as the informers do, instead of ending the agent.
    /// </summary>
    private async Task<bool> IsServedAsync(string group, string version, string plural, CancellationToken stopping)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                await client.CustomObjects.ListClusterCustomObjectAsync<MetalLbObjectList>(group, version, plural, limit: 1, cancellationToken: stopping);
                return true;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return false;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && e is HttpRequestException or HttpOperationException or IOException or TaskCanceledException)
            {
                LogApiUnreachable(options.Node, $"{plural}.{group}", e.Message, backoff.TotalMilliseconds);
                await Task.Delay(backoff + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250)), stopping);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Agent of node {Node}: parts {Parts}; watching {Kinds}")]
    private partial void LogWatching(string node, string parts, string kinds);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Every watch has listed ({Objects} objects); programming the node")]
    private partial void LogSynced(long objects);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "Node {Node} is not among the cluster's nodes: nothing is programmed until it is")]
    private partial void LogNodeMissing(string node);

    [LoggerMessage(EventId = 903, Level = LogLevel.Warning, Message = "Node {Node}: nftables changed behind the agent (generation {Current}, ours {Own}); writing every table again")]
    private partial void LogDrift(string node, uint current, long own);

    [LoggerMessage(EventId = 904, Level = LogLevel.Warning, Message = "Node {Node}: the status report failed: {Reason}")]
    private partial void LogReportFailed(string node, string reason);

    [LoggerMessage(EventId = 905, Level = LogLevel.Information, Message = "Agent of node {Node} stopping; its rules stay")]
    private partial void LogStopping(string node);

    [LoggerMessage(EventId = 906, Level = LogLevel.Warning, Message = "Agent of node {Node}: cannot ask the API whether it serves {Resource} ({Reason}); asking again in {Milliseconds} ms")]
    private partial void LogApiUnreachable(string node, string resource, string reason, double milliseconds);

    [LoggerMessage(EventId = 907, Level = LogLevel.Warning, Message = "Agent of node {Node}: nftables commits are not announced to it ({Reason}); looking for drift every {Milliseconds} ms instead")]
    private partial void LogNoChangeMonitor(string node, string reason, int milliseconds);
}
