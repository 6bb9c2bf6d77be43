using Maille.Engine;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.NodeAgents;

/// <summary>
/// The per-node agent of a lab, in the role kube-proxy, the CNI's policy agent and MetalLB's speaker play on a real
/// node: it hands each new plan to its parts (<see cref="Services"/>, <see cref="Policy"/>, <see cref="LoadBalancer"/>),
/// each run by its own <see cref="NodePartRunner"/>. A stopped agent (its node failed, <c>maille node stop</c>) syncs
/// nothing until it is started again, when every part syncs the latest plan at once and in full, as a restarted
/// kube-proxy does.
/// </summary>
/// <remarks>
/// The parts are typed properties rather than a list to search, so that a reader of the Service proxy's rules or of
/// the policy table never downcasts. Everything the agent does goes through <see cref="Sync"/>, <see cref="Stop"/> and
/// <see cref="Start"/>: the shape a <c>maille agent</c> process would have.
/// </remarks>
public sealed class NodeAgent : IDisposable
{
    private readonly Lock _gate = new();
    private readonly NodeAgentParts _parts;
    private readonly List<NodePartRunner> _runners = [];
    private long _syncs;

    /// <param name="hooks">Called on a part's thread around each of its syncs (see <see cref="NodePartRunner"/>).</param>
    public NodeAgent(string node, NodeAgentParts parts, NodeAgentOptions? options = null, TimeProvider? time = null, ILogger? logger = null, NodePartSyncHooks? hooks = null)
    {
        options ??= new NodeAgentOptions();
        Node = node;
        _parts = parts;
        Add(parts.Services, options.Services);
        Add(parts.Policy, options.Policy);
        Add(parts.LoadBalancer, options.LoadBalancer);
        Add(parts.SocketLoadBalancer, options.Services);
        Add(parts.PodPolicy, options.Policy);

        void Add(INodeAgentPart? part, NodePartRunnerOptions partOptions)
        {
            if (part is not null)
            {
                _runners.Add(new NodePartRunner(node, part, partOptions, time, logger, hooks));
            }
        }
    }

    public string Node { get; }

    public bool Running { get; private set; } = true;

    public ServiceProxyPart? Services => _parts.Services;

    public NodePolicyEnforcer? Policy => _parts.Policy;

    public L2AnnouncerPart? LoadBalancer => _parts.LoadBalancer;

    public SocketLoadBalancerPart? SocketLoadBalancer => _parts.SocketLoadBalancer;

    public PodPolicyPart? PodPolicy => _parts.PodPolicy;

    /// <summary>The part that enforces NetworkPolicy, whichever data plane does (nftables' <see cref="Policy"/> or the ebpf <see cref="PodPolicy"/>).</summary>
    public INodeAgentPart? PolicyPart => (INodeAgentPart?)Policy ?? PodPolicy;

    /// <summary>One runner per part, in the order services, networkpolicy, loadbalancer, services-ebpf, networkpolicy-ebpf.</summary>
    public IReadOnlyList<NodePartRunner> Runners => _runners;

    public NodeAgentStatus Status
    {
        get
        {
            var statuses = _runners.Select(r => (r.Name, r.Status)).ToList();
            lock (_gate)
            {
                return new NodeAgentStatus
                {
                    Syncs = _syncs,
                    LastSyncMilliseconds = statuses.Select(p => p.Status.LastSyncMilliseconds).DefaultIfEmpty(0).Max(),
                    LastError = string.Join("; ", statuses.Where(p => p.Status.LastError is not null).Select(p => $"{p.Name}: {p.Status.LastError}")),
                };
            }
        }
    }

    /// <summary>Hands <paramref name="cluster"/> to every part and returns at once; each part's request generation is returned in runner order.</summary>
    public IReadOnlyList<long> Sync(ClusterState cluster)
    {
        lock (_gate)
        {
            _syncs += Running ? 1 : 0;
            return [.. _runners.Select(r => r.Request(cluster))];
        }
    }

    /// <summary>
    /// Completes when the parts <paramref name="which"/> selects have finished a sync of the requests
    /// <paramref name="generations"/> (from <see cref="Sync"/>); at once for a stopped agent, whose parts wait for its start.
    /// </summary>
    public Task WhenSyncedAsync(IReadOnlyList<long> generations, Func<NodePartRunner, bool> which, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Running
                ? Task.WhenAll(_runners.Select((r, i) => (Runner: r, Generation: generations[i])).Where(p => which(p.Runner)).Select(p => p.Runner.WaitAsync(p.Generation, cancellationToken)))
                : Task.CompletedTask;
        }
    }

    /// <summary>Every part writes the latest state again in full, now (drift repair).</summary>
    public void Repair()
    {
        foreach (var runner in _runners)
        {
            runner.Repair();
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            Running = false;
            foreach (var runner in _runners)
            {
                runner.Pause();
            }

            // The lab's stand-in for a power cut: a node that stops answers for no LoadBalancer address any more.
            _parts.LoadBalancer?.WithdrawAll();
        }
    }

    public void Start()
    {
        lock (_gate)
        {
            Running = true;
            _syncs++;
            foreach (var runner in _runners)
            {
                runner.Resume();
            }
        }
    }

    public void Dispose()
    {
        foreach (var runner in _runners)
        {
            runner.Dispose();
        }
    }
}
