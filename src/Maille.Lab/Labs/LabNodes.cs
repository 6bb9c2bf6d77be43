using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Engine.Allocation;
using Maille.Lab.NodeAgents;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Labs;

/// <summary>
/// A lab's nodes as the controller sees them: one agent per node (its parts, and the generation each was last asked to
/// sync), which nodes were stopped on purpose (kept in the state folder, so a restarted daemon keeps them stopped), and
/// which the health monitor finds down. Not thread-safe: the controller calls it under its gate.
/// </summary>
internal sealed partial class LabNodes : IAsyncDisposable
{
    private static readonly IReadOnlySet<string> NoNodes = new HashSet<string>();
    private readonly LabState _state;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggers;
    private readonly Func<string, NetworkNamespace, NodeAgentParts> _nodeParts;
    private readonly Dictionary<string, NodeAgent> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<long>> _requested = new(StringComparer.Ordinal);
    private readonly L2Ownership _l2Ownership = new();
    private readonly HashSet<string> _stoppedNodes = new(StringComparer.Ordinal);
    private Dataplane.Linux.L2.NodeHealthMonitor? _health;
    private LabAgentProcesses? _processes;
    private long _publishedVersion;

    /// <param name="logger">The controller's logger: the agents log under its category, as they did before it was split.</param>
    public LabNodes(LabState state, ILogger logger, ILoggerFactory loggers, Func<string, NetworkNamespace, NodeAgentParts>? nodeParts)
    {
        _state = state;
        _logger = logger;
        _loggers = loggers;
        _nodeParts = nodeParts ?? ((_, _) => NodeAgentParts.None);
    }

    public IReadOnlyDictionary<string, NodeAgent> Agents => _agents;

    /// <summary>What the agent processes report (nothing when the agents run in the daemon).</summary>
    public LabAgentReports Reports { get; } = new();

    /// <summary>The agent processes, once started (null when the agents run in the daemon).</summary>
    public LabAgentProcesses? Processes => _processes;

    /// <summary>
    /// From now on the Service proxy and the policy enforcer of each node run as processes (<paramref name="processes"/>,
    /// started here): a change waits for their reports instead of in-process runners.
    /// </summary>
    public void AttachProcesses(LabAgentProcesses processes)
    {
        _processes = processes;
        processes.Start(_stoppedNodes);
    }

    /// <summary>The API's version once a plan is published: what the agent processes must have read for a change to be in force.</summary>
    public void Published(long version) => _publishedVersion = version;

    /// <summary>The running nodes whose agent process has read and programmed the last published version, waiting at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<string>> ProcessesSyncedAsync(TimeSpan limit, CancellationToken cancellationToken) =>
        Reports.WaitAsync([.. _agents.Keys.Where(n => !_stoppedNodes.Contains(n))], _publishedVersion, limit, cancellationToken);

    public IReadOnlySet<string> StoppedNodes => _stoppedNodes;

    /// <summary>The restarts of the agent processes, by the <c>namespace/name</c> of their node's <c>maille-agent</c> pod in <paramref name="cluster"/>.</summary>
    public IReadOnlyDictionary<string, Kube.ContainerRestarts> AgentPodRestarts(ClusterState cluster)
    {
        var byNode = _processes?.Restarts();
        return byNode is null || byNode.Count == 0
            ? System.Collections.Frozen.FrozenDictionary<string, Kube.ContainerRestarts>.Empty
            : cluster.Pods.Where(p => Engine.Workloads.NodeAgentManifests.IsAgentPod(p) && p.Spec.NodeName is { } node && byNode.ContainsKey(node))
                .ToDictionary(p => p.QualifiedName, p => byNode[p.Spec.NodeName!], StringComparer.Ordinal);
    }

    /// <summary>The nodes the health monitor finds down (none before it exists).</summary>
    public IReadOnlySet<string> DownNodes() => _health?.DownNodes ?? NoNodes;

    /// <summary>Creates the health monitor of the lab's nodes, pinging from the underlay; it starts with <see cref="StartHealthMonitor"/>.</summary>
    public void MonitorHealth(LabNetwork network) =>
        _health = new Dataplane.Linux.L2.NodeHealthMonitor(network.Underlay, network.Plan.Nodes.ToDictionary(n => n.Name, n => n.Address, StringComparer.Ordinal));

    /// <summary>Starts the health monitor; <paramref name="changed"/> runs whenever a node stops or starts answering.</summary>
    public void StartHealthMonitor(Action changed)
    {
        var health = _health ?? throw new InvalidOperationException("the lab's network is not built");
        health.Changed += _ => changed();
        health.Start();
    }

    /// <summary>An agent for every node of the plan, then the nodes the state folder says were stopped are stopped again.</summary>
    public void StartAgents(ClusterState planned, LabNetwork network)
    {
        foreach (var node in planned.Nodes)
        {
            // Every node announces its LoadBalancer addresses, with or without the other parts (tests of the controller).
            var announcer = new L2AnnouncerPart(node.Name, network.Node(node.Name), DownNodes, _l2Ownership, _loggers.CreateLogger<L2AnnouncerPart>());
            _agents[node.Name] = new NodeAgent(node.Name, _nodeParts(node.Name, network.Node(node.Name)) with { LoadBalancer = announcer }, logger: _logger);
        }

        foreach (var node in _state.ReadStoppedNodes().Where(_agents.ContainsKey))
        {
            LabNodeLinks.Set(_state.Lab, node, up: false);
            _agents[node].Stop();
            _stoppedNodes.Add(node);
        }
    }

    /// <summary>Stops or starts a node: its link to the node network and its agent; the state folder records it.</summary>
    public void Set(string node, bool up)
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
            Reports.Forget(node);
        }

        _processes?.Set(node, up);

        _state.WriteStoppedNodes(_stoppedNodes);
    }

    /// <summary>Hands <paramref name="cluster"/> to every agent and remembers the generations asked for, which <see cref="SyncedAsync"/> waits for.</summary>
    public void Sync(ClusterState cluster)
    {
        foreach (var agent in _agents.Values)
        {
            _requested[agent.Node] = agent.Sync(cluster);
        }
    }

    /// <summary>Waits until the parts <paramref name="which"/> selects, on every running node, have synced what was last published (or the time is up).</summary>
    public async Task SyncedAsync(Func<NodeAgent, NodePartRunner, bool> which, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(limit);
        try
        {
            await Task.WhenAll(_agents.Values.Where(a => _requested.ContainsKey(a.Node)).Select(a => a.WhenSyncedAsync(_requested[a.Node], r => which(a, r), bounded.Token)));
            if (_processes is not null)
            {
                var running = _agents.Keys.Count(n => !_stoppedNodes.Contains(n));
                if ((await ProcessesSyncedAsync(limit, cancellationToken)).Count < running)
                {
                    LogSyncWaitTimedOut(limit.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogSyncWaitTimedOut(limit.TotalSeconds);
        }
    }

    /// <summary>The running nodes whose NetworkPolicy part has synced what was last published (waiting at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<string>> PolicySyncedNodesAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        if (_processes is not null)
        {
            return await ProcessesSyncedAsync(limit, cancellationToken);
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(limit);
        var waits = _agents.Values.Where(a => a.Running && a.PolicyPart is not null && _requested.ContainsKey(a.Node))
            .Select(async a =>
            {
                try
                {
                    await a.WhenSyncedAsync(_requested[a.Node], r => r.Part == a.PolicyPart, bounded.Token);
                    return a.Node;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return null;
                }
            });
        return [.. (await Task.WhenAll(waits)).OfType<string>().Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Pods on a node the health monitor finds down are not ready, as the node lifecycle controller marks them once a node
    /// stops reporting (Kubernetes waits about 40 s; the lab acts on detection, within a second), so that Services stop
    /// sending them traffic. Probes keep their own view, which is what comes back when the node does.
    /// </summary>
    public IReadOnlyDictionary<string, bool> NotReadyOnDownNodes(IReadOnlyDictionary<string, bool> readiness, PriorAllocations prior)
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

    public async ValueTask DisposeAsync()
    {
        if (_processes is not null)
        {
            await _processes.DisposeAsync();
        }

        if (_health is not null)
        {
            await _health.DisposeAsync();
        }

        // Each agent's parts go: its tables are deleted, its LoadBalancer addresses withdrawn.
        foreach (var agent in _agents.Values)
        {
            agent.Dispose();
        }
    }

    [LoggerMessage(EventId = 544, Level = LogLevel.Warning, Message = "Node agents did not sync within {Seconds} s; going on anyway")]
    private partial void LogSyncWaitTimedOut(double seconds);
}
