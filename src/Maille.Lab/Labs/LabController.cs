using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Engine.Allocation;
using Maille.Engine.EndpointSlices;
using Maille.Engine.Workloads;
using Maille.Kube;
using Maille.Lab.NodeAgents;
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
/// <para>
/// It keeps the orchestration (the order of the steps, the gate, what is published) and hands each job to its own type:
/// planning to <see cref="LabPlanning"/>, the node agents, stopped nodes and node health to <see cref="LabNodes"/>, the
/// pods' programs, cluster DNS and Ingress proxy to <see cref="LabWorkloadHost"/>.
/// </para>
/// </summary>
public sealed partial class LabController : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly LabState _state;
    private readonly LabNetworkMode _mode;
    private readonly ILogger _logger;
    private readonly LabPlanning _planning = new();
    private readonly LabNodes _nodes;
    private readonly LabWorkloadHost _workloadHost;
    private readonly ReadinessProber _readiness;
    private LabManifests _desired = LabManifests.Empty;
    private ClusterState? _published;
    private LabManifests? _publishedFrom;
    private IReadOnlyDictionary<string, bool>? _publishedReadiness;
    private LabNetwork? _network;

    // The Deployment controller's queue: one pending pass at most, however many changes asked for one.
    private readonly Channel<bool> _rolloutKicks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private Task _rollouts = Task.CompletedTask;
    private Task _leases = Task.CompletedTask;

    // When each Deployment's rollout last made progress (its deadline); read and written by the rollout loop only.
    private readonly Dictionary<string, DeploymentProgress> _rolloutProgress = new(StringComparer.Ordinal);

    // Wakes the rollout loop when a deadline passes or a pod has been ready for minReadySeconds.
    private ITimer? _rolloutTimer;

    /// <summary>Namespaces being deleted (phase Terminating), with when their deletion was asked.</summary>
    private System.Collections.Immutable.ImmutableDictionary<string, DateTimeOffset> _terminating = System.Collections.Immutable.ImmutableDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal);

    public LabController(LabState state, LabNetworkMode mode, ILoggerFactory loggers, Func<string, NetworkNamespace, NodeAgentParts>? nodeParts = null)
    {
        _state = state;
        _mode = mode;
        _logger = loggers.CreateLogger<LabController>();
        _nodes = new LabNodes(state, _logger, loggers, nodeParts);
        _workloadHost = new LabWorkloadHost(() => Published, () => _network, loggers, _logger, state.PkiDirectory);
        _readiness = new ReadinessProber(state, _logger, TimeProvider.System);
        Store = new Api.LabStore(null, system: MachineNodeSystem.Read(), versionsAfter: state.ReserveVersions());
        _readiness.ProbeFailed += (pod, container, message) => Store.Record(new Api.EventRecord(
            Api.ChangeEvents.Subject(pod) with { FieldPath = $"spec.containers{{{container.Name}}}" }, "Warning", "Unhealthy", message, "kubelet", pod.Spec.NodeName));
    }

    /// <summary>
    /// The node agents run as processes (<c>maille up --agents process</c>): the plan then holds the <c>maille-agent</c>
    /// DaemonSet whose pods show them. Set before <see cref="StartAsync"/>.
    /// </summary>
    public bool AgentsAsProcesses
    {
        get => _planning.AgentDaemonSet;
        init => _planning.AgentDaemonSet = value;
    }

    /// <summary>
    /// A daemon that starts where a previous one died takes over the network that one built, when it is the plan's
    /// (<see cref="LabNetworkBuilder.Adopt"/>), and keeps the node agent processes running in it, instead of rebuilding
    /// every namespace: the agents' rules stay in the kernel and the agents are adopted (docs/node-agent.md). Set with
    /// <see cref="AgentsAsProcesses"/> for the nftables data plane.
    /// </summary>
    public bool AdoptsNetwork { get; init; }

    /// <summary>Whether <see cref="StartAsync"/> took over the network a previous daemon built instead of building it.</summary>
    public bool NetworkAdopted { get; private set; }

    /// <summary>The lab's name.</summary>
    public string Lab => _state.Lab;

    /// <summary>What the API serves: the last published plan.</summary>
    public Api.LabStore Store { get; }

    public ClusterState Published => _published ?? throw new InvalidOperationException("the lab has not started");

    public LabNetwork Network => _network ?? throw new InvalidOperationException("the lab has not started");

    public ReadinessProber Readiness => _readiness;

    public IReadOnlyDictionary<string, NodeAgent> Agents => _nodes.Agents;

    /// <summary>The node agent processes' reports (empty while the agents run in the daemon).</summary>
    public LabAgentReports AgentReports => _nodes.Reports;

    /// <summary>The node agent processes (null while the agents run in the daemon).</summary>
    public LabAgentProcesses? AgentProcesses => _nodes.Processes;

    /// <summary>
    /// Starts <paramref name="processes"/> as the nodes' Service proxies and policy enforcers and waits, at most
    /// <paramref name="limit"/>, until each has programmed the published state: the lab is Ready only then.
    /// </summary>
    public async Task<IReadOnlyList<string>> StartAgentProcessesAsync(LabAgentProcesses processes, TimeSpan limit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            processes.Restarted += _ => PublishInBackground();
            _nodes.AttachProcesses(processes);
            if (processes.Restarts().Count > 0)
            {
                // Adopted agents carry their restarts on: their pods show them from the start.
                Publish(PriorAllocations.From(Published));
            }

            _nodes.Published(Store.Current.Version);
            return await _nodes.ProcessesSyncedAsync(limit, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public int PortCount => _workloadHost.PortCount;

    /// <summary>The pods' logs (kubectl logs).</summary>
    public Workloads.PodLogs PodLogs => _workloadHost.Logs;

    /// <summary>The workload certificate a meshed pod's node proxy presents for it now (<c>namespace/name</c>), or null.</summary>
    public Kube.Views.MeshCertificateFacts? MeshCertificate(string pod) => _workloadHost.MeshCertificate(pod);

    /// <summary>What the node proxy serving a meshed pod (<c>namespace/name</c>) would decide now for a TCP connection from <c>source</c> to its port, or null.</summary>
    public Engine.Mesh.MeshVerdict? MeshDecision(System.Net.IPAddress source, string pod, int port) => _workloadHost.MeshDecision(source, pod, port);

    /// <summary>
    /// Builds the lab from its state folder: whatever a crashed predecessor left is removed first (unless its network is
    /// taken over, <see cref="AdoptsNetwork"/>), then the network, the pods' ports and programs, a first round of
    /// readiness probes, the node agents and stopped nodes.
    /// </summary>
    /// <returns>How long building the network took.</returns>
    public async Task<TimeSpan> StartAsync(CancellationToken cancellationToken)
    {
        var reading = Stopwatch.GetTimestamp();
        _planning.Config = LoadConfig(_state) with { NodesCreated = _state.NodesCreated(TimeProvider.System.GetUtcNow()) };
        var written = File.ReadAllText(_state.ManifestsFile);
        _desired = LabManifests.Parse(_state.ManifestsFile, written, TimeProvider.System.GetUtcNow()).WithManagedFields(_state.ReadManagedFields());
        // A namespace whose deletion a previous daemon began is still Terminating, and is finished once started.
        _terminating = _terminating.SetItems(_state.ReadTerminatingNamespaces().Where(t => _desired.TryGet(new ObjectKey("", "Namespace", "", t.Key), out _)));
        var planning = Stopwatch.GetTimestamp();
        var planned = _planning.PlanOrThrow(_desired, null, _state.ReadAllocations());
        if (_desired.Render() is var stamped && stamped != written)
        {
            // The objects got their creation time (a first start): the state says so too, for every reader of it.
            _state.WriteManifests(stamped);
        }

        double readTime = Milliseconds(reading, planning), planTime = Milliseconds(planning, Stopwatch.GetTimestamp());
        LogPlanned(planned.Pods.Count, readTime, planTime);
        var started = Stopwatch.GetTimestamp();
        var networkPlan = LabNetworkPlanner.Plan(_state.Lab, LabTopologyMapper.Map(planned, _mode));
        _network = AdoptsNetwork ? AdoptNetwork(networkPlan, planned) : null;
        if (_network is null)
        {
            if (AgentsAsProcesses)
            {
                // The agents a previous daemon left would live on in namespaces that are about to go, and program nothing.
                LabTeardown.KillProcessesIn(NamespaceProcesses.Identities(LabNetworkBuilder.Namespaces(_state.Lab)));
            }

            var removed = LabNetworkBuilder.Teardown(_state.Lab);
            if (removed > 0)
            {
                LogRemovedLeftovers(removed);
            }

            started = Stopwatch.GetTimestamp();
            _network = LabNetworkBuilder.Build(networkPlan);
            LogNetworkBuilt(_network.Plan.Pods.Count, _network.Timings);
        }

        var networkTime = Stopwatch.GetElapsedTime(started);
        _nodes.MonitorHealth(_network);
        // Published before the cluster DNS starts: it answers from the published state.
        _published = planned;
        await _workloadHost.StartServicesAsync(planned, _planning.Config, cancellationToken);
        var serving = Stopwatch.GetTimestamp();
        LabWorkloadHost.WriteResolvConf(planned, _network.Plan.Pods, _planning.Config);
        _workloadHost.StartWorkloads(planned);
        var probing = Stopwatch.GetTimestamp();
        _readiness.Update(planned, _network);
        await _readiness.ProbeDueAsync(cancellationToken);
        var syncing = Stopwatch.GetTimestamp();
        _nodes.StartAgents(planned, _network);
        Publish(PriorAllocations.From(planned), planned, new Dictionary<string, bool>());

        // `up` returns when the lab is Ready: every part's rules and addresses must be in the kernel by then, not merely asked for.
        await _nodes.SyncedAsync((_, _) => true, Timeout.InfiniteTimeSpan, cancellationToken);
        double workloadTime = Milliseconds(serving, probing), probeTime = Milliseconds(probing, syncing), syncTime = Milliseconds(syncing, Stopwatch.GetTimestamp());
        LogStarted(workloadTime, probeTime, syncTime);

        _readiness.Changed += PublishInBackground;
        _nodes.StartHealthMonitor(PublishInBackground);
        foreach (var ns in _terminating.Keys)
        {
            _ = Task.Run(() => FinishTerminationAsync(new ObjectKey("", "Namespace", "", ns)), CancellationToken.None);
        }

        _rollouts = RunRolloutsAsync(_stopping.Token);
        _leases = RenewLeasesAsync(_stopping.Token);
        _rolloutKicks.Writer.TryWrite(true);
        return networkTime;
    }

    /// <summary>
    /// The network a previous daemon built from the same plan, taken over as it is (<see cref="LabNetworkBuilder.Adopt"/>),
    /// with the node agents that run in it; what else that daemon left running in the lab's namespaces (its pods'
    /// programs) is killed, as this daemon starts its own. Null when the lab's namespaces are not the plan's.
    /// </summary>
    private LabNetwork? AdoptNetwork(LabNetworkPlan plan, ClusterState planned)
    {
        var network = LabNetworkBuilder.Adopt(plan);
        if (network is null)
        {
            return null;
        }

        var agents = LabAgentProcesses.Adoptable(_state, planned.Nodes.Select(n => n.Name));
        LabTeardown.KillProcessesIn(NamespaceProcesses.Identities(plan.NamespaceNames), agents.Values.Select(a => a.Pid).ToHashSet());
        NetworkAdopted = true;
        LogNetworkAdopted(plan.Pods.Count, agents.Count);
        return network;
    }

    /// <summary>
    /// Applies a change to the desired state: plans the result and, only when it plans without errors and keeps the
    /// lab's nodes, stores it and makes the lab match. Otherwise nothing changes and the errors are returned.
    /// </summary>
    /// <param name="dryRun">Plan the change and answer what it would do, keeping and programming nothing (the API's <c>dryRun=All</c>).</param>
    public async Task<LabChangeResult> ChangeAsync(Func<LabManifests, LabChange> change, CancellationToken cancellationToken, bool dryRun = false)
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
                return new LabChangeResult(proposed.Outcomes, proposed.NotFound, []) { DryRun = dryRun ? Published : null };
            }

            var started = Stopwatch.GetTimestamp();
            var readiness = _readiness.Readiness;
            var quick = _planning.IncrementalPlan(proposed, Published);
            if (quick is not null)
            {
                // Planned from the published state, so with the readiness that state was published with.
                readiness = _publishedReadiness ?? readiness;
            }

            var result = quick is not null ? new PlanResult(quick, quick.Warnings) : _planning.Plan(proposed.Manifests, readiness, PriorAllocations.From(Published));
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

            if (dryRun)
            {
                return new LabChangeResult(proposed.Outcomes, proposed.NotFound, []) { DryRun = planned };
            }

            // The desired state is recorded before the change is answered, but after the agents have it: the file
            // is for a daemon that starts again, and rendering 10,000 objects should not delay the rules.
            var previous = _desired;
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
                _state.WriteManifests(proposed.Manifests);
                if (!ReferenceEquals(previous.ManagedFields, proposed.Manifests.ManagedFields))
                {
                    _state.WriteManagedFields(proposed.Manifests.ManagedFields);
                }
            }

            // A change is answered once its policy and its LoadBalancer addresses are in the kernel (they were synced in
            // line before the parts had runners); the Service rules follow within milliseconds and are not waited for.
            await _nodes.SyncedAsync((agent, runner) => runner.Part != agent.Services, TimeSpan.FromSeconds(10), cancellationToken);
            await RecordPolicyProgrammedAsync(proposed.Outcomes, planned, cancellationToken);
            var recorded = Stopwatch.GetTimestamp();

            // As Kubernetes does, a pod that goes leaves its Services before it stops: its network and programs are
            // removed once every node's Service rules no longer send it new connections (bounded, so a stuck proxy
            // cannot hold the change).
            if (departed.Count > 0)
            {
                await _nodes.SyncedAsync((agent, runner) => runner.Part == agent.Services, TimeSpan.FromSeconds(5), cancellationToken);
                _workloadHost.RemoveDeparted(departed);
            }

            LogChanged(proposed.Outcomes, quick is not null, Milliseconds(started, reconciling), Milliseconds(reconciling, publishing), Milliseconds(publishing, recorded));
            _rolloutKicks.Writer.TryWrite(true);
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
            _nodes.Set(node, up);

            // Its Node object says so at once (Ready False, or True again), before the health monitor notices.
            Publish(PriorAllocations.From(Published));
        }
        finally
        {
            _gate.Release();
        }
    }

    public IReadOnlySet<string> StoppedNodes => _nodes.StoppedNodes;

    /// <summary>Whether the node agents delete the connections a change denies (<c>up --flush-denied-connections</c>, as the daemon's status says).</summary>
    public bool FlushesDeniedConnections => _state.ReadStatus()?.FlushDeniedConnections == true;

    /// <summary>
    /// How long a deleted Namespace stays Terminating before its objects, then itself, are deleted. The namespace
    /// controller of a cluster works from its own queue and waits for pods' grace periods, so clients see the phase;
    /// the lab deletes in one step and so waits this long first.
    /// </summary>
    public TimeSpan NamespaceTerminationDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether <paramref name="ns"/> is being deleted: nothing new may be created in it.</summary>
    public bool IsTerminating(string ns) => _terminating.ContainsKey(ns);

    /// <summary>
    /// Deletes a Namespace as the API server does: at once it is Terminating (published, with its deletion time); after
    /// <see cref="NamespaceTerminationDelay"/> everything in it is deleted, and the namespace with it. False when the
    /// lab has no such Namespace object.
    /// </summary>
    public async Task<bool> TerminateNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        var key = new ObjectKey("", "Namespace", "", name);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_desired.TryGet(key, out _))
            {
                return false;
            }

            if (!_terminating.ContainsKey(name))
            {
                _terminating = _terminating.SetItem(name, TimeProvider.System.GetUtcNow());
                _state.WriteTerminatingNamespaces(_terminating);
                Publish(PriorAllocations.From(Published));
                _ = Task.Run(() => FinishTerminationAsync(key), CancellationToken.None);
            }

            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task FinishTerminationAsync(ObjectKey key)
    {
        try
        {
            // Counted from when the deletion was asked: a daemon that starts again after the delay deletes at once.
            var due = _terminating[key.Name] + NamespaceTerminationDelay - TimeProvider.System.GetUtcNow();
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, _stopping.Token);
            }

            var result = await ChangeAsync(
                m =>
                {
                    _terminating = _terminating.Remove(key.Name);
                    return m.Delete([key]);
                },
                _stopping.Token);
            _state.WriteTerminatingNamespaces(_terminating);
            if (!result.Succeeded)
            {
                LogPublishFailed($"deleting namespace {key.Name}: {string.Join("; ", result.Errors)}");
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The daemon is stopping: the namespace stays Terminating (the state folder says so) and a daemon that
            // starts again finishes deleting it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Stops the Deployment controller's loop and any namespace waiting to terminate.
        await _stopping.CancelAsync();
        _rolloutTimer?.Dispose();
        _readiness.Changed -= PublishInBackground;
        await _rollouts.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _leases.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _nodes.DisposeAsync();
        await _workloadHost.DisposeAsync();
        _network?.Dispose();
        _gate.Dispose();
        _stopping.Dispose();
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

    /// <summary>
    /// Makes the network and the workloads match <paramref name="planned"/>, except that pods which are gone keep
    /// running (returned, for <see cref="LabWorkloadHost.RemoveDeparted"/> once the Service rules no longer use them).
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
        _workloadHost.StopOutdated(planned, moved, departed.ToHashSet(StringComparer.Ordinal));

        LabNetworkBuilder.RemovePods(network, [.. moved]);
        var added = topology.Pods.Where(p => !network.HasPod(p.Key)).ToList();
        LabNetworkBuilder.AddPods(network, added);
        LabWorkloadHost.WriteResolvConf(planned, [.. added.Select(p => network.PodPlan(p.Key))], _planning.Config);
        _workloadHost.StartWorkloads(planned);
        _readiness.Update(planned, network);
        return departed;
    }

    /// <summary>
    /// Plans with the readiness observed now and hands the result to the API, the state folder and the agents. When the
    /// desired state is the one already planned (<paramref name="planned"/>, with <paramref name="plannedWith"/> as
    /// readiness, or else the last published plan) only readiness can differ, and <see cref="ReadinessUpdate"/> makes
    /// the new state from it without planning every Service again: a probe failing in a lab of 10,000 Services costs
    /// the Services that select the pod.
    /// </summary>
    private void Publish(PriorAllocations prior, ClusterState? planned = null, IReadOnlyDictionary<string, bool>? plannedWith = null)
    {
        var readiness = _nodes.NotReadyOnDownNodes(_readiness.Readiness, prior);
        var (basis, basisReadiness) = planned is not null
            ? (planned, plannedWith)
            : ReferenceEquals(_publishedFrom, _desired) ? (_published, _publishedReadiness) : (null, null);
        var updated = basis is not null && basisReadiness is not null ? ReadinessUpdate.Apply(basis, basisReadiness, readiness) : null;
        var cluster = updated ?? _planning.PlanOrThrow(_desired, readiness, prior);
        var allocationsKept = updated is not null && ReferenceEquals(basis, _published);
        _published = cluster;
        _publishedFrom = _desired;
        _publishedReadiness = readiness;
        // The API first, as the API server commits a change before any agent acts on it: its watchers (a node agent
        // process among them) hear of it at once. Then the in-process node agents, whose rules a change's answer waits
        // for, and last the files, which only record the state for a daemon that starts again.
        Store.Update(cluster, new Api.ServedFacts
        {
            Written = _desired.ByKey,
            WrittenVersion = _desired.Version,
            WrittenChange = _desired.ChangedFrom,
            DownNodes = _nodes.DownNodes().Union(_nodes.StoppedNodes).ToHashSet(StringComparer.Ordinal),
            TerminatingNamespaces = _terminating,
            Managed = _desired.ManagedFields,
            Restarts = _nodes.AgentPodRestarts(cluster),
        });
        _nodes.Published(Store.Current.Version);
        _nodes.Sync(cluster);
        _workloadHost.Publish(cluster);
        if (!allocationsKept)
        {
            _state.WriteAllocations(PriorAllocations.From(cluster));
        }

        _state.WriteReadiness(readiness);
    }

    /// <summary>
    /// Each NetworkPolicy the change created or configured gets an event per node whose policy part has programmed it
    /// (synced the change into its nftables table), the node agent's word that the policy is in force there.
    /// </summary>
    private async Task RecordPolicyProgrammedAsync(IReadOnlyList<ObjectOutcome> outcomes, ClusterState planned, CancellationToken cancellationToken)
    {
        var policies = outcomes.Where(o => o.Key is { Group: "networking.k8s.io", Kind: "NetworkPolicy" } && o.Action is "created" or "configured")
            .Select(o => planned.NetworkPolicies.FirstOrDefault(p => p.Meta.Namespace == o.Key.Namespace && p.Meta.Name == o.Key.Name))
            .OfType<NetworkPolicy>()
            .ToList();
        if (policies.Count == 0)
        {
            return;
        }

        foreach (var node in await _nodes.PolicySyncedNodesAsync(TimeSpan.FromSeconds(1), cancellationToken))
        {
            foreach (var policy in policies)
            {
                var subject = new Api.EventSubject("networking.k8s.io/v1", "NetworkPolicy", policy.Meta.Namespace, policy.Meta.Name, ObjectUid.Of("NetworkPolicy", policy.Meta));
                Store.Record(new Api.EventRecord(subject, "Normal", "Programmed", $"NetworkPolicy programmed on node {node} (table ip maille-policy)", "maille-policy-agent", node));
            }
        }
    }

    /// <summary>
    /// A node stopped or started answering (the detection needs no goodbye): its pods' endpoints leave or rejoin their
    /// Services and its LoadBalancer addresses move.
    /// </summary>
    /// <summary>
    /// A node's health or a pod's readiness changed: the state is published again in the background, under the gate,
    /// with every object keeping its allocations (readiness and down nodes are read inside Publish).
    /// </summary>
    private void PublishInBackground() => _ = Task.Run(async () =>
    {
        await _gate.WaitAsync();
        try
        {
            Publish(PriorAllocations.From(Published));
            // Pods became ready or not: a rollout may take its next step.
            _rolloutKicks.Writer.TryWrite(true);
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

    /// <summary>
    /// The workload controllers' loop (<see cref="LabDeploymentController"/>, <see cref="LabSetController"/>): after each change and each readiness
    /// change it takes every Deployment, StatefulSet and DaemonSet one step further, as a change of its own, until no step is left. Each step is
    /// decided under the gate from the state just published, so it never works from an older one.
    /// </summary>
    /// <summary>
    /// Each running node's lease is renewed as its kubelet would renew it: at once, then every
    /// <see cref="Api.LabStore.LeaseRenewInterval"/>. A node that is stopped or does not answer is not renewed, so its
    /// lease grows old as a silent kubelet's does.
    /// </summary>
    private async Task RenewLeasesAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var down = _nodes.DownNodes().Union(_nodes.StoppedNodes).ToHashSet(StringComparer.Ordinal);
                Store.RenewLeases(Published.Nodes.Select(n => n.Name).Where(n => !down.Contains(n)));
                await Task.Delay(Api.LabStore.LeaseRenewInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The daemon is stopping.
        }
    }

    private async Task RunRolloutsAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _rolloutKicks.Reader.WaitToReadAsync(cancellationToken))
            {
                _rolloutKicks.Reader.TryRead(out _);
                IReadOnlyList<string> actions = [];
                LabChangeResult result;
                try
                {
                    result = await ChangeAsync(
                        manifests =>
                        {
                            var now = TimeProvider.System.GetUtcNow();
                            var availability = new PodAvailability(Store.PodReadySince(), now);
                            var (deployments, deploymentActions, nextLook) = LabDeploymentController.Step(manifests, Published, availability, _rolloutProgress);
                            var (sets, setActions, setLook) = LabSetController.Step(deployments.Manifests, Published, availability);
                            actions = [.. deploymentActions, .. setActions];
                            LookAgainAt(nextLook is null || (setLook is not null && setLook < nextLook) ? setLook : nextLook, now);
                            return new LabChange(sets.Manifests, [.. deployments.Outcomes, .. sets.Outcomes], []);
                        },
                        cancellationToken);
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or ExternalException)
                {
                    // As a readiness publish that fails: logged, and the next change or readiness flip tries again.
                    result = LabChangeResult.Refused(e.Message);
                }

                if (!result.Succeeded)
                {
                    LogRolloutRefused(actions.Count, result.Errors[0]);
                }
                else if (_logger.IsEnabled(LogLevel.Information))
                {
                    foreach (var action in actions)
                    {
                        LogRolloutStep(action);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The daemon is stopping.
        }
    }

    /// <summary>Kicks the rollout loop at <paramref name="at"/> (one timer: each pass sets the next look, or none).</summary>
    private void LookAgainAt(DateTimeOffset? at, DateTimeOffset now)
    {
        _rolloutTimer?.Dispose();
        _rolloutTimer = at is { } when
            ? TimeProvider.System.CreateTimer(_ => _rolloutKicks.Writer.TryWrite(true), null, TimeSpan.FromTicks(Math.Max(0, (when - now).Ticks)) + TimeSpan.FromMilliseconds(50), Timeout.InfiniteTimeSpan)
            : null;
    }

    [LoggerMessage(EventId = 548, Level = LogLevel.Information, Message = "Workload controller: {Action}")]
    private partial void LogRolloutStep(string action);

    [LoggerMessage(EventId = 549, Level = LogLevel.Warning, Message = "Workload controller: a step of {Count} actions was refused: {Error}")]
    private partial void LogRolloutRefused(int count, string error);

    [LoggerMessage(EventId = 562, Level = LogLevel.Information, Message = "Took over the network of {Pods} pods a previous daemon of this lab built, with {Agents} node agents running in it")]
    private partial void LogNetworkAdopted(int pods, int agents);

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
}
