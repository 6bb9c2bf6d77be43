using System.Diagnostics;
using System.Runtime.InteropServices;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Engine.Allocation;
using Maille.Engine.EndpointSlices;
using Maille.Kube;
using Maille.Lab.NodeAgents;
using Maille.Lab.Workloads;
using Maille.Model;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Labs;

/// <summary>
/// The heart of a lab's daemon: it holds the desired state (the applied manifests), plans it with the engine, and makes
/// the lab match the plan: pod namespaces and veths added and removed, pod ports and programs started and stopped,
/// readiness probed, the API's view and the node agents updated. Level-triggered: every change, whether an apply, a
/// delete, a label, a readiness flip or a node coming back, ends in the same "make it so" step, and a daemon starting
/// after a crash takes the same path from nothing. One change at a time (a gate), so a plan is never applied twice
/// concurrently.
/// </summary>
internal sealed partial class LabController : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LabState _state;
    private readonly LabNetworkMode _mode;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggers;
    private readonly PodServerHost _server;
    private readonly Dns.ClusterDnsServer _dns;
    private readonly Ingresses.IngressProxy _ingress;
    private readonly PodWorkloads _workloads;
    private readonly ReadinessProber _readiness;
    private readonly Func<string, NetworkNamespace, NodeAgentParts> _nodeParts;
    private readonly Dictionary<string, NodeAgent> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<long>> _requested = new(StringComparer.Ordinal);
    private readonly L2Ownership _l2Ownership = new();
    private readonly HashSet<string> _stoppedNodes = new(StringComparer.Ordinal);
    private ClusterConfig _config = ClusterConfig.Default;
    private LabManifests _desired = LabManifests.Empty;
    private ClusterState? _published;
    private LabManifests? _publishedFrom;
    private IReadOnlyDictionary<string, bool>? _publishedReadiness;
    private LabNetwork? _network;
    private Dataplane.Linux.L2.NodeHealthMonitor? _health;
    private static readonly IReadOnlySet<string> NoNodes = new HashSet<string>();
    private readonly DocumentLoadCache _documentLoads = new();
    private readonly EndpointSliceCache _slices = new();
    private (LabManifests Manifests, (ManifestSet Manifests, IReadOnlyList<Diagnostic> Diagnostics) Set)? _loaded;

    public LabController(LabState state, LabNetworkMode mode, ILoggerFactory loggers, Func<string, NetworkNamespace, NodeAgentParts>? nodeParts = null)
    {
        _state = state;
        _mode = mode;
        _loggers = loggers;
        _logger = loggers.CreateLogger<LabController>();
        _server = new PodServerHost(new PodServerOptions(), loggers, TimeProvider.System);
        _dns = new Dns.ClusterDnsServer(() => Published, new Dns.ClusterDnsServerOptions(), loggers, TimeProvider.System);
        _ingress = new Ingresses.IngressProxy(new Ingresses.IngressProxyOptions(), new Ingresses.PodNamespaceUpstreamConnector(IngressPodNamespace), loggers, TimeProvider.System);
        _workloads = new PodWorkloads(_server, _dns, _ingress, _logger);
        _readiness = new ReadinessProber(state, _logger, TimeProvider.System);
        _nodeParts = nodeParts ?? ((_, _) => NodeAgentParts.None);
        Store = new Api.LabStore(null);
    }

    /// <summary>The lab's name.</summary>
    public string Lab => _state.Lab;

    /// <summary>What the API serves: the last published plan.</summary>
    public Api.LabStore Store { get; }

    public ClusterState Published => _published ?? throw new InvalidOperationException("the lab has not started");

    public LabNetwork Network => _network ?? throw new InvalidOperationException("the lab has not started");

    public ReadinessProber Readiness => _readiness;

    public IReadOnlyDictionary<string, NodeAgent> Agents => _agents;

    public int PortCount => _workloads.PortCount;

    /// <summary>
    /// Builds the lab from its state folder: whatever a crashed predecessor left is removed first, then the network,
    /// the pods' ports and programs, a first round of readiness probes, the node agents and stopped nodes.
    /// </summary>
    /// <returns>How long building the network took.</returns>
    public async Task<TimeSpan> StartAsync(CancellationToken cancellationToken)
    {
        var reading = Stopwatch.GetTimestamp();
        _config = LoadConfig(_state);
        var written = File.ReadAllText(_state.ManifestsFile);
        _desired = LabManifests.Parse(_state.ManifestsFile, written, TimeProvider.System.GetUtcNow());
        var planning = Stopwatch.GetTimestamp();
        var planned = PlanOrThrow(_desired, null, _state.ReadAllocations());
        if (_desired.Render() is var stamped && stamped != written)
        {
            // The objects got their creation time (a first start): the state says so too, for every reader of it.
            _state.WriteManifests(stamped);
        }

        double readTime = Milliseconds(reading, planning), planTime = Milliseconds(planning, Stopwatch.GetTimestamp());
        LogPlanned(planned.Pods.Count, readTime, planTime);
        var removed = LabNetworkBuilder.Teardown(_state.Lab);
        if (removed > 0)
        {
            LogRemovedLeftovers(removed);
        }

        var started = Stopwatch.GetTimestamp();
        _network = LabNetworkBuilder.Build(_state.Lab, LabTopologyMapper.Map(planned, _mode));
        var networkTime = Stopwatch.GetElapsedTime(started);
        LogNetworkBuilt(_network.Plan.Pods.Count, _network.Timings);
        _health = new Dataplane.Linux.L2.NodeHealthMonitor(_network.Underlay, _network.Plan.Nodes.ToDictionary(n => n.Name, n => n.Address, StringComparer.Ordinal));
        await _server.StartAsync(cancellationToken);
        _published = planned;
        _dns.Start();
        _ingress.Update(planned);
        await _ingress.StartAsync(cancellationToken);
        var serving = Stopwatch.GetTimestamp();
        WriteResolvConf(planned, _network.Plan.Pods);
        StartWorkloads(planned);
        var probing = Stopwatch.GetTimestamp();
        _readiness.Update(planned, _network);
        await _readiness.ProbeDueAsync(cancellationToken);
        var syncing = Stopwatch.GetTimestamp();
        foreach (var node in planned.Nodes)
        {
            // Every node announces its LoadBalancer addresses, with or without the other parts (tests of the controller).
            var announcer = new L2AnnouncerPart(node.Name, _network.Node(node.Name), DownNodes, _l2Ownership, _loggers.CreateLogger<L2AnnouncerPart>());
            _agents[node.Name] = new NodeAgent(node.Name, _nodeParts(node.Name, _network.Node(node.Name)) with { LoadBalancer = announcer }, logger: _logger);
        }

        foreach (var node in _state.ReadStoppedNodes().Where(_agents.ContainsKey))
        {
            LabNodeLinks.Set(_state.Lab, node, up: false);
            _agents[node].Stop();
            _stoppedNodes.Add(node);
        }

        Publish(PriorAllocations.From(planned), planned, new Dictionary<string, bool>());

        // `up` returns when the lab is Ready: every part's rules and addresses must be in the kernel by then, not merely asked for.
        await PartsSyncedAsync((_, _) => true, Timeout.InfiniteTimeSpan, cancellationToken);
        double workloadTime = Milliseconds(serving, probing), probeTime = Milliseconds(probing, syncing), syncTime = Milliseconds(syncing, Stopwatch.GetTimestamp());
        LogStarted(workloadTime, probeTime, syncTime);

        _readiness.Changed += OnReadinessChanged;
        _health.Changed += _ => OnHealthChanged();
        _health.Start();
        return networkTime;
    }

    /// <summary>
    /// Applies a change to the desired state: plans the result and, only when it plans without errors and keeps the
    /// lab's nodes, stores it and makes the lab match. Otherwise nothing changes and the errors are returned.
    /// </summary>
    public async Task<LabChangeResult> ChangeAsync(Func<LabManifests, LabChange> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            LabChange proposed;
            try
            {
                proposed = change(_desired);
            }
            catch (InvalidOperationException e)
            {
                return LabChangeResult.Refused(e.Message);
            }

            if (proposed.Outcomes.All(o => o.Action is "unchanged" or "not labeled"))
            {
                return new LabChangeResult(proposed.Outcomes, proposed.NotFound, []);
            }

            var started = Stopwatch.GetTimestamp();
            var readiness = _readiness.Readiness;
            var quick = IncrementalPlan(proposed);
            if (quick is not null)
            {
                // Planned from the published state, so with the readiness that state was published with.
                readiness = _publishedReadiness ?? readiness;
            }

            var result = quick is not null ? new PlanResult(quick, quick.Warnings) : Plan(proposed.Manifests, readiness, PriorAllocations.From(Published));
            if (!result.Succeeded)
            {
                return new LabChangeResult([], proposed.NotFound, [.. result.Errors.Select(e => e.ToString())]);
            }

            var planned = result.Cluster!;
            var nodes = string.Join(", ", planned.Nodes.Select(n => n.Name));
            var had = string.Join(", ", Published.Nodes.Select(n => n.Name));
            if (nodes != had)
            {
                return LabChangeResult.Refused($"the nodes of a running lab cannot change (it has {had}; the change asks for {nodes}): take it down and up again");
            }

            // The desired state is recorded before the change is answered, but after the agents have it: the file
            // is for a daemon that starts again, and rendering 10,000 objects should not delay the rules.
            _desired = proposed.Manifests;
            List<string> departed;
            long reconciling = Stopwatch.GetTimestamp(), publishing;
            try
            {
                departed = Reconcile(planned);
                publishing = Stopwatch.GetTimestamp();
                Publish(PriorAllocations.From(planned), planned, readiness);
            }
            finally
            {
                _state.WriteManifests(proposed.Manifests.Render());
            }

            // A change is answered once its policy and its LoadBalancer addresses are in the kernel (they were synced in
            // line before the parts had runners); the Service rules follow within milliseconds and are not waited for.
            await PartsSyncedAsync((agent, runner) => runner.Part != agent.Services, TimeSpan.FromSeconds(10), cancellationToken);
            var recorded = Stopwatch.GetTimestamp();

            // As Kubernetes does, a pod that goes leaves its Services before it stops: its network and programs are
            // removed once every node's Service rules no longer send it new connections (bounded, so a stuck proxy
            // cannot hold the change).
            if (departed.Count > 0)
            {
                await PartsSyncedAsync((agent, runner) => runner.Part == agent.Services, TimeSpan.FromSeconds(5), cancellationToken);
                RemoveDeparted(departed);
            }

            LogChanged(proposed.Outcomes, quick is not null, Milliseconds(started, reconciling), Milliseconds(reconciling, publishing), Milliseconds(publishing, recorded));
            return new LabChangeResult(proposed.Outcomes, proposed.NotFound, []);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops or starts a node: its link to the node network and its agent.</summary>
    public async Task SetNodeAsync(string node, bool up, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_agents.TryGetValue(node, out var agent))
            {
                throw new KeyNotFoundException($"lab {_state.Lab} has no node {node}");
            }

            LabNodeLinks.Set(_state.Lab, node, up);
            if (up)
            {
                _stoppedNodes.Remove(node);
                agent.Start();
            }
            else
            {
                _stoppedNodes.Add(node);
                agent.Stop();
            }

            _state.WriteStoppedNodes(_stoppedNodes);
        }
        finally
        {
            _gate.Release();
        }
    }

    public IReadOnlySet<string> StoppedNodes => _stoppedNodes;

    public async ValueTask DisposeAsync()
    {
        _readiness.Changed -= OnReadinessChanged;
        if (_health is not null)
        {
            await _health.DisposeAsync();
        }

        // Each agent's parts go: its tables are deleted, its LoadBalancer addresses withdrawn.
        foreach (var agent in _agents.Values)
        {
            agent.Dispose();
        }

        // Whatever happened once programs may have started: they stop, the ports close, the handles go.
        _workloads.StopAll();
        await _server.StopAsync(CancellationToken.None);
        await _server.DisposeAsync();
        await _dns.DisposeAsync();
        await _ingress.StopAsync(CancellationToken.None);
        await _ingress.DisposeAsync();
        _network?.Dispose();
        _gate.Dispose();
    }

    public static ClusterConfig LoadConfig(LabState state)
    {
        if (!File.Exists(state.ConfigFile))
        {
            return ClusterConfig.Default;
        }

        var (loaded, configErrors) = ClusterConfigLoader.Load(state.ConfigFile, File.ReadAllText(state.ConfigFile));
        return loaded ?? throw new InvalidOperationException(string.Join("; ", configErrors.Where(d => d.IsError)));
    }

    private PlanResult Plan(LabManifests manifests, IReadOnlyDictionary<string, bool>? readiness, PriorAllocations prior)
    {
        // Readiness flips plan the same manifests again and again: read them once per desired state (and each document
        // once per lab: a change converts only the documents it replaced).
        var loaded = _loaded is { } cached && ReferenceEquals(cached.Manifests, manifests)
            ? cached
            : (_loaded = (manifests, _documentLoads.Load(manifests.Documents))).Value;
        return LabPlanner.Plan(loaded.Set.Manifests, loaded.Set.Diagnostics, _config, readiness, prior, _slices);
    }

    /// <summary>
    /// The new state without planning the lab again, when the change is only pods deleted or relabeled
    /// (<see cref="Engine.EndpointSlices.PodChangeUpdate"/>), or only plain Services created or deleted
    /// (<see cref="Engine.EndpointSlices.ServiceChangeUpdate"/>); null for any other change, which is planned in full.
    /// </summary>
    private ClusterState? IncrementalPlan(LabChange proposed)
    {
        var changed = proposed.Outcomes.Where(o => o.Action is not ("unchanged" or "not labeled")).ToList();
        if (changed.Count == 0)
        {
            return null;
        }

        if (changed.All(o => o.Key is { Group: "", Kind: "Pod" } && o.Action is "deleted" or "labeled"))
        {
            var (relabeled, errors) = Load(proposed, changed.Where(o => o.Action == "labeled"));
            return errors ? null : Engine.EndpointSlices.PodChangeUpdate.Apply(Published, Removed(changed), relabeled.Pods);
        }

        if (changed.All(o => o.Key is { Group: "", Kind: "Service" } && o.Action is "deleted" or "created"))
        {
            var (created, errors) = Load(proposed, changed.Where(o => o.Action == "created"));
            var hasSlices = proposed.Manifests.Documents.Any(d => d.Key is { Group: "discovery.k8s.io", Kind: "EndpointSlice" });
            return errors ? null : Engine.EndpointSlices.ServiceChangeUpdate.Apply(Published, Removed(changed), created.Services, hasSlices);
        }

        return null;

        static List<string> Removed(IEnumerable<ObjectOutcome> changed) =>
            [.. changed.Where(o => o.Action == "deleted").Select(o => $"{o.Key.Namespace}/{o.Key.Name}")];
    }

    /// <summary>The objects of the outcomes' documents in the proposed state, and whether reading them found errors.</summary>
    private (ManifestSet Objects, bool Errors) Load(LabChange proposed, IEnumerable<ObjectOutcome> outcomes)
    {
        var documents = new List<ManifestDocument>();
        foreach (var outcome in outcomes)
        {
            if (!proposed.Manifests.TryGet(outcome.Key, out var document))
            {
                return (ManifestSet.Empty, true);
            }

            documents.Add(document);
        }

        var (loaded, diagnostics) = _documentLoads.Load(documents);
        return (loaded, diagnostics.Any(d => d.IsError));
    }

    private ClusterState PlanOrThrow(LabManifests manifests, IReadOnlyDictionary<string, bool>? readiness, PriorAllocations prior)
    {
        var result = Plan(manifests, readiness, prior);
        return result.Cluster ?? throw new InvalidOperationException("the lab's manifests no longer plan: " + string.Join("; ", result.Errors));
    }

    /// <summary>
    /// Makes the network and the workloads match <paramref name="planned"/>, except that pods which are gone keep
    /// running (returned, for <see cref="RemoveDeparted"/> once the Service rules no longer use them).
    /// </summary>
    private List<string> Reconcile(ClusterState planned)
    {
        var network = Network;
        var topology = LabTopologyMapper.Map(planned, _mode);
        var problems = LabNetworkPlanner.Validate(_state.Lab, topology);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("the lab's network cannot hold the plan: " + string.Join("; ", problems));
        }

        var wanted = topology.Pods.ToDictionary(p => p.Key, StringComparer.Ordinal);
        // A departed pod whose address a new pod takes cannot wait: two pods may not hold one address.
        var wantedAddresses = topology.Pods.Select(p => p.Address).ToHashSet();
        var departed = network.Plan.Pods.Where(p => !wanted.ContainsKey(p.Key) && !wantedAddresses.Contains(p.Address)).Select(p => p.Key).ToList();
        var moved = network.Plan.Pods
            .Where(p => wanted.TryGetValue(p.Key, out var want) ? want.Node != p.Node || !want.Address.Equals(p.Address) : wantedAddresses.Contains(p.Address))
            .Select(p => p.Key)
            .ToHashSet(StringComparer.Ordinal);
        var runnable = Runnable(planned).ToDictionary(p => p.QualifiedName, StringComparer.Ordinal);
        var keepRunning = departed.ToHashSet(StringComparer.Ordinal);
        foreach (var key in _workloads.Pods.Where(k => !keepRunning.Contains(k) && (moved.Contains(k) || !runnable.TryGetValue(k, out var pod) || !_workloads.RunsAsDescribed(pod))).ToList())
        {
            _workloads.Stop(key);
        }

        LabNetworkBuilder.RemovePods(network, [.. moved]);
        var added = topology.Pods.Where(p => !network.HasPod(p.Key)).ToList();
        LabNetworkBuilder.AddPods(network, added);
        WriteResolvConf(planned, [.. added.Select(p => network.PodPlan(p.Key))]);
        StartWorkloads(planned);
        _readiness.Update(planned, network);
        return departed;
    }

    /// <summary>Stops the programs of pods that left the plan and removes their network.</summary>
    private void RemoveDeparted(IReadOnlyList<string> departed)
    {
        foreach (var key in departed)
        {
            _workloads.Stop(key);
        }

        LabNetworkBuilder.RemovePods(Network, departed);
    }

    /// <summary>Waits until the parts <paramref name="which"/> selects, on every running node, have synced what was last published (or the time is up).</summary>
    private async Task PartsSyncedAsync(Func<NodeAgent, NodePartRunner, bool> which, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(limit);
        try
        {
            await Task.WhenAll(_agents.Values.Where(a => _requested.ContainsKey(a.Node)).Select(a => a.WhenSyncedAsync(_requested[a.Node], r => which(a, r), bounded.Token)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogSyncWaitTimedOut(limit.TotalSeconds);
        }
    }

    private IReadOnlySet<string> DownNodes() => _health?.DownNodes ?? NoNodes;

    /// <summary>The namespace of an Ingress controller pod, where the proxy opens its connections to backends.</summary>
    private NetworkNamespace? IngressPodNamespace(PodId pod) =>
        _network is { } network && network.HasPod($"{pod.Namespace}/{pod.Name}") ? network.Pod($"{pod.Namespace}/{pod.Name}") : null;

    /// <summary>Each pod's <c>resolv.conf</c> (cluster DNS first, the pod's namespace in the search path), which programs run with <c>maille exec</c> see.</summary>
    private void WriteResolvConf(ClusterState planned, IEnumerable<PodNetworkPlan> pods)
    {
        foreach (var pod in pods)
        {
            if (planned.PodsByName.TryGetValue(pod.Key, out var described) && Engine.Dns.PodResolvConf.For(described, _config) is { } text)
            {
                NetworkNamespace.WriteEtcFile(pod.Namespace, "resolv.conf", text);
            }
        }
    }

    /// <summary>Starts every runnable pod that does not run yet as described.</summary>
    private void StartWorkloads(ClusterState planned)
    {
        var network = Network;
        foreach (var pod in Runnable(planned).Where(p => !_workloads.RunsAsDescribed(p)))
        {
            _workloads.Stop(pod.QualifiedName);
            _workloads.Start(pod, pod.Spec.HostNetwork ? network.Node(pod.Spec.NodeName!) : network.Pod(pod.QualifiedName));
        }
    }

    /// <summary>The pods that run something: scheduled, addressed, and with a namespace (or their node's).</summary>
    private IEnumerable<Pod> Runnable(ClusterState planned) =>
        planned.Pods.Where(p => p.Status.PodIP is not null && p.Spec.NodeName is not null && (p.Spec.HostNetwork || Network.HasPod(p.QualifiedName)));

    /// <summary>
    /// Plans with the readiness observed now and hands the result to the API, the state folder and the agents. When the
    /// desired state is the one already planned (<paramref name="planned"/>, with <paramref name="plannedWith"/> as
    /// readiness, or else the last published plan) only readiness can differ, and <see cref="ReadinessUpdate"/> makes
    /// the new state from it without planning every Service again: a probe failing in a lab of 10,000 Services costs
    /// the Services that select the pod.
    /// </summary>
    private void Publish(PriorAllocations prior, ClusterState? planned = null, IReadOnlyDictionary<string, bool>? plannedWith = null)
    {
        var readiness = OnDownNodesNotReady(_readiness.Readiness, prior);
        var (basis, basisReadiness) = planned is not null
            ? (planned, plannedWith)
            : ReferenceEquals(_publishedFrom, _desired) ? (_published, _publishedReadiness) : (null, null);
        var updated = basis is not null && basisReadiness is not null ? ReadinessUpdate.Apply(basis, basisReadiness, readiness) : null;
        var cluster = updated ?? PlanOrThrow(_desired, readiness, prior);
        var allocationsKept = updated is not null && ReferenceEquals(basis, _published);
        _published = cluster;
        _publishedFrom = _desired;
        _publishedReadiness = readiness;
        // The node agents first: their rules are what a change is waiting for, and the files below only record it.
        foreach (var agent in _agents.Values)
        {
            _requested[agent.Node] = agent.Sync(cluster);
        }

        _ingress.Update(cluster);
        if (!allocationsKept)
        {
            _state.WriteAllocations(PriorAllocations.From(cluster));
        }

        _state.WriteReadiness(readiness);
        Store.Update(cluster);
    }

    /// <summary>
    /// Pods on a node the health monitor finds down are not ready, as the node lifecycle controller marks them once a node
    /// stops reporting (Kubernetes waits about 40 s; the lab acts on detection, within a second), so that Services stop
    /// sending them traffic. Probes keep their own view, which is what comes back when the node does.
    /// </summary>
    private IReadOnlyDictionary<string, bool> OnDownNodesNotReady(IReadOnlyDictionary<string, bool> readiness, PriorAllocations prior)
    {
        var down = _health?.DownNodes;
        if (down is null || down.Count == 0)
        {
            return readiness;
        }

        var result = new Dictionary<string, bool>(readiness, StringComparer.Ordinal);
        foreach (var pod in prior.Pods.Where(p => down.Contains(p.Value.Node)).Select(p => p.Key))
        {
            result[pod] = false;
        }

        return result;
    }

    /// <summary>
    /// A node stopped or started answering (the detection needs no goodbye): its pods' endpoints leave or rejoin their
    /// Services and its LoadBalancer addresses move.
    /// </summary>
    private void OnHealthChanged() => _ = Task.Run(async () =>
    {
        await _gate.WaitAsync();
        try
        {
            Publish(PriorAllocations.From(Published));
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ExternalException)
        {
            LogPublishFailed(e.Message);
        }
        finally
        {
            _gate.Release();
        }
    });

    private void OnReadinessChanged() => _ = Task.Run(async () =>
    {
        await _gate.WaitAsync();
        try
        {
            Publish(PriorAllocations.From(Published));
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ExternalException)
        {
            LogPublishFailed(e.Message);
        }
        finally
        {
            _gate.Release();
        }
    });

    [LoggerMessage(EventId = 540, Level = LogLevel.Information, Message = "Removed {Count} namespaces a previous run of this lab left behind")]
    private partial void LogRemovedLeftovers(int count);

    private static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    [LoggerMessage(EventId = 547, Level = LogLevel.Information, Message = "Serving: pods' ports and programs started in {WorkloadMilliseconds:F0} ms, first readiness probes in {ProbeMilliseconds:F0} ms, node agents synced in {SyncMilliseconds:F0} ms")]
    private partial void LogStarted(double workloadMilliseconds, double probeMilliseconds, double syncMilliseconds);

    [LoggerMessage(EventId = 546, Level = LogLevel.Information, Message = "Planned {Pods} pods: manifests read in {ReadMilliseconds:F0} ms, planned in {PlanMilliseconds:F0} ms")]
    private partial void LogPlanned(int pods, double readMilliseconds, double planMilliseconds);

    [LoggerMessage(EventId = 545, Level = LogLevel.Information, Message = "Network of {Pods} pods built: {Timings}")]
    private partial void LogNetworkBuilt(int pods, LabBuildTimings? timings);

    [LoggerMessage(EventId = 541, Level = LogLevel.Information, Message = "Changed: {Outcomes} ({How} in {PlanMilliseconds:F1} ms, network in {NetworkMilliseconds:F1} ms, published and recorded in {PublishMilliseconds:F1} ms)")]
    private partial void LogChangedCore(string outcomes, string how, double planMilliseconds, double networkMilliseconds, double publishMilliseconds);

    private void LogChanged(IEnumerable<ObjectOutcome> outcomes, bool incremental, double plan, double network, double publish)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var text = string.Join(", ", outcomes.Where(o => o.Action is not "unchanged"));
            LogChangedCore(text, incremental ? "updated without planning" : "planned", plan, network, publish);
        }
    }

    [LoggerMessage(EventId = 542, Level = LogLevel.Warning, Message = "Publishing a readiness change failed: {Reason}")]
    private partial void LogPublishFailed(string reason);

    [LoggerMessage(EventId = 544, Level = LogLevel.Warning, Message = "Node agents did not sync within {Seconds} s; going on anyway")]
    private partial void LogSyncWaitTimedOut(double seconds);
}
