using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
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
internal sealed partial class ReadinessProber
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);
    private readonly List<Target> _targets;
    private readonly LabState _state;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, bool> _ready = new(StringComparer.Ordinal);

    public ReadinessProber(ClusterState cluster, LabNetwork network, LabState state, ILogger logger, TimeProvider time)
    {
        _state = state;
        _logger = logger;
        _time = time;
        var start = time.GetUtcNow();
        _targets = [.. cluster.Pods
            .Where(p => p.Status.PodIP is not null && p.Spec.NodeName is not null)
            .SelectMany(p => p.Spec.Containers.Where(c => c.ReadinessProbe is not null).Select(c => new Target(p, c, c.ReadinessProbe!, network.Node(p.Spec.NodeName!), p.Spec.HostNetwork ? null : network.Pod(p.QualifiedName))
            {
                Due = start + TimeSpan.FromSeconds(c.ReadinessProbe!.InitialDelaySeconds),
            }))];
        foreach (var pod in cluster.Pods.Where(p => p.Status.PodIP is not null && p.Spec.NodeName is not null))
        {
            _ready[pod.QualifiedName] = !_targets.Any(t => t.Pod == pod);
        }
    }

    /// <summary>Raised after a pod's readiness changed and the lab's state was written.</summary>
    public event Action? Changed;

    /// <summary><c>namespace/name</c> → ready, as last observed.</summary>
    public IReadOnlyDictionary<string, bool> Readiness => _ready;

    public IEnumerable<string> NotReady => _ready.Where(r => !r.Value).Select(r => r.Key).Order(StringComparer.Ordinal);

    /// <summary>Runs every probe that is due, then publishes any change. Returns whether something changed.</summary>
    public async Task<bool> ProbeDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var due = _targets.Where(t => t.Due <= now).ToList();
        if (due.Count == 0)
        {
            return false;
        }

        var results = await Task.WhenAll(due.Select(t => Task.Run(() => Attempt(t), cancellationToken)));
        for (var i = 0; i < due.Count; i++)
        {
            var target = due[i];
            target.Due = now + TimeSpan.FromSeconds(Math.Max(1, target.Probe.PeriodSeconds));
            target.Failures = results[i] ? 0 : target.Failures + 1;
            target.Ready = results[i] || (target.Ready && target.Failures < target.Probe.FailureThreshold);
        }

        var changed = false;
        foreach (var pod in due.Select(t => t.Pod).Distinct())
        {
            var ready = _targets.Where(t => t.Pod == pod).All(t => t.Ready);
            if (_ready[pod.QualifiedName] != ready)
            {
                _ready[pod.QualifiedName] = ready;
                LogReadinessChanged(pod.QualifiedName, ready);
                changed = true;
            }
        }

        if (changed)
        {
            _state.WriteReadiness(_ready);
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

    private bool Attempt(Target target)
    {
        var address = target.Pod.Status.PodIP!;
        try
        {
            switch (target.Probe.Kind)
            {
                case ProbeKind.HttpGet:
                    var (status, _) = LabHttp.Get(target.Node, address, PortOf(target), target.Probe.Path ?? "/", AttemptTimeout);
                    var code = int.Parse(status.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                    return code is >= 200 and < 400;
                case ProbeKind.TcpSocket:
                    using (var socket = target.Node.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
                    {
                        return socket.ConnectAsync(new IPEndPoint(address, PortOf(target))).Wait(AttemptTimeout);
                    }

                case ProbeKind.Exec:
                    return RunInPod(target);
                default:
                    // gRPC probes need a gRPC health server the built-in server does not have: counted as passing.
                    return true;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed probe is a failed probe, whatever threw.
            return false;
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
