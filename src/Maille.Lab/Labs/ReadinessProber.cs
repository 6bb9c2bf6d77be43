using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Kube;
using Maille.Lab.Probing;
using Maille.Model;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Labs;

/// <summary>
/// The kubelet's readiness probing for a lab: each container's <c>readinessProbe</c> (httpGet: a status from 200 to
/// 399; tcpSocket: a connection; exec: exit code 0, run inside the pod's namespace) is run from the pod's node, after
/// <c>initialDelaySeconds</c> and every <c>periodSeconds</c>. A pod with probes starts not ready, becomes ready on a
/// success and not ready after <c>failureThreshold</c> failures in a row. Pods without probes are always ready.
/// Changes go to the lab's state, where <c>maille get --lab</c> reads them (and EndpointSlices follow).
/// </summary>
public sealed partial class ReadinessProber
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private readonly LabState _state;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, bool> _ready = new(StringComparer.Ordinal);
    private List<Target> _targets = [];

    public ReadinessProber(LabState state, ILogger logger, TimeProvider time)
    {
        _state = state;
        _logger = logger;
        _time = time;
    }

    /// <summary>Raised after a pod's readiness changed and the lab's state was written.</summary>
    public event Action? Changed;

    /// <summary>A probe attempt failed: the pod, the container whose probe it is, and the kubelet's words for it.</summary>
    public event Action<Pod, Container, string>? ProbeFailed;

    /// <summary><c>namespace/name</c> → ready, as last observed (a copy).</summary>
    public IReadOnlyDictionary<string, bool> Readiness
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, bool>(_ready, StringComparer.Ordinal);
            }
        }
    }

    public IEnumerable<string> NotReady => Readiness.Where(r => !r.Value).Select(r => r.Key).Order(StringComparer.Ordinal);

    /// <summary>
    /// Takes the pods the lab runs now. A pod whose uid, probes, address and node are unchanged keeps its state; a new
    /// or changed pod (one deleted and made again under its name too) starts as the kubelet starts it: not ready when it has probes, ready otherwise.
    /// </summary>
    public void Update(ClusterState cluster, LabNetwork network)
    {
        var start = _time.GetUtcNow();
        var pods = cluster.Pods.Where(p => p.Status.PodIP is not null && p.Spec.NodeName is not null && (p.Spec.HostNetwork || network.HasPod(p.QualifiedName))).ToList();
        lock (_gate)
        {
            var kept = _targets.ToDictionary(t => (t.Pod.QualifiedName, t.Container.Name), t => t);
            var targets = new List<Target>();
            foreach (var pod in pods)
            {
                foreach (var container in pod.Spec.Containers.Where(c => c.ReadinessProbe is not null))
                {
                    var podNamespace = pod.Spec.HostNetwork ? null : network.Pod(pod.QualifiedName);
                    // A pod made again under its name (a new uid) earns its readiness again, as the kubelet probes a new pod.
                    if (kept.TryGetValue((pod.QualifiedName, container.Name), out var existing) && existing.Pod.Spec == pod.Spec
                        && Equals(existing.Pod.Status.PodIP, pod.Status.PodIP) && ReferenceEquals(existing.PodNamespace, podNamespace)
                        && ObjectUid.Same(existing.Pod.Meta, pod.Meta))
                    {
                        targets.Add(existing);
                        continue;
                    }

                    targets.Add(new Target(pod, container, container.ReadinessProbe!, network.Node(pod.Spec.NodeName!), podNamespace)
                    {
                        Due = start + TimeSpan.FromSeconds(container.ReadinessProbe!.InitialDelaySeconds),
                    });
                }
            }

            _targets = targets;
            var keys = pods.Select(p => p.QualifiedName).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _ready.Keys.Where(k => !keys.Contains(k)).ToList())
            {
                _ready.Remove(gone);
            }

            foreach (var pod in pods)
            {
                var podTargets = targets.Where(t => t.Pod.QualifiedName == pod.QualifiedName).ToList();
                _ready[pod.QualifiedName] = podTargets.All(t => t.Ready);
            }
        }
    }

    /// <summary>Runs every probe that is due, then publishes any change. Returns whether something changed.</summary>
    public async Task<bool> ProbeDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        List<Target> due;
        lock (_gate)
        {
            due = [.. _targets.Where(t => t.Due <= now)];
        }

        if (due.Count == 0)
        {
            return false;
        }

        var results = await Task.WhenAll(due.Select(t => Task.Run(() => Attempt(t), cancellationToken)));
        var changed = false;
        Dictionary<string, bool> snapshot;
        lock (_gate)
        {
            for (var i = 0; i < due.Count; i++)
            {
                var target = due[i];
                target.Due = now + TimeSpan.FromSeconds(Math.Max(1, target.Probe.PeriodSeconds));
                target.Failures = results[i].Passed ? 0 : target.Failures + 1;
                target.Ready = results[i].Passed || (target.Ready && target.Failures < target.Probe.FailureThreshold);
            }

            foreach (var pod in due.Select(t => t.Pod.QualifiedName).Distinct())
            {
                var current = _targets.Where(t => t.Pod.QualifiedName == pod).ToList();
                if (current.Count == 0 || !_ready.ContainsKey(pod))
                {
                    continue;
                }

                var ready = current.All(t => t.Ready);
                if (_ready[pod] != ready)
                {
                    _ready[pod] = ready;
                    LogReadinessChanged(pod, ready);
                    changed = true;
                }
            }

            snapshot = new Dictionary<string, bool>(_ready, StringComparer.Ordinal);
        }

        for (var i = 0; i < due.Count; i++)
        {
            if (!results[i].Passed)
            {
                ProbeFailed?.Invoke(due[i].Pod, due[i].Container, $"Readiness probe failed: {results[i].Why}");
            }
        }

        if (changed)
        {
            _state.WriteReadiness(snapshot);
            Changed?.Invoke();
        }

        return changed;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), _time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await ProbeDueAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One bad tick (a state file that could not be written, say) must not end readiness for good.
                LogTickFailed(e);
            }
        }
    }

    /// <summary>One attempt of a target's probe: whether it passed, and if not why, in the kubelet's words where it has them.</summary>
    private (bool Passed, string Why) Attempt(Target target)
    {
        var address = target.Pod.Status.PodIP!;
        try
        {
            switch (target.Probe.Kind)
            {
                case ProbeKind.HttpGet:
                    var (status, _) = LabHttp.Get(target.Node, address, PortOf(target), target.Probe.Path ?? "/", AttemptTimeout);
                    var code = int.Parse(status.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                    return (code is >= 200 and < 400, $"HTTP probe failed with statuscode: {code}");
                case ProbeKind.TcpSocket:
                    using (var socket = target.Node.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
                    {
                        return (socket.ConnectAsync(new IPEndPoint(address, PortOf(target))).Wait(AttemptTimeout), $"dial tcp {address}:{PortOf(target)}: i/o timeout");
                    }

                case ProbeKind.Exec:
                    return (RunInPod(target), "command exited with a non-zero code or did not finish in time");
                default:
                    // gRPC probes need a gRPC health server the built-in server does not have: counted as passing.
                    return (true, "");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed probe is a failed probe, whatever threw.
            return (false, e.InnerException?.Message ?? e.Message);
        }
    }

    private static int PortOf(Target target) => target.Probe.Port switch
    {
        { IsNamed: true } named => target.Pod.Spec.FindPort(named.Name!)?.Port ?? throw new InvalidOperationException($"no port named {named.Name}"),
        { } numbered => numbered.Number!.Value,
        _ => throw new InvalidOperationException("probe without a port"),
    };

    private static bool RunInPod(Target target)
    {
        var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "netns", "exec", (target.PodNamespace ?? target.Node).Name }.Concat(target.Probe.Command))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(AttemptTimeout))
        {
            process.Kill(entireProcessTree: true);
            return false;
        }

        return process.ExitCode == 0;
    }

    private sealed record Target(Pod Pod, Container Container, Probe Probe, NetworkNamespace Node, NetworkNamespace? PodNamespace)
    {
        public DateTimeOffset Due { get; set; }

        public int Failures { get; set; }

        public bool Ready { get; set; }
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Information, Message = "Pod {Pod} is now {Ready}")]
    private partial void LogReadinessChangedCore(string pod, string ready);

    [LoggerMessage(EventId = 511, Level = LogLevel.Warning, Message = "A readiness probe round failed; probing goes on")]
    private partial void LogTickFailed(Exception exception);

    private void LogReadinessChanged(string pod, bool ready) => LogReadinessChangedCore(pod, ready ? "ready" : "not ready");
}
