using System.Runtime.Versioning;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Lab.Labs;
using Maille.Model;

namespace Maille.Lab.Probing;

/// <summary>
/// <c>maille probe</c>, run by a lab's daemon over the plan it runs: real connections between the pods, compared with
/// what the engine expects of that same plan. Exit code 0 when everything matches, <see cref="MismatchExitCode"/> otherwise.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ProbeView
{
    public const int MismatchExitCode = 3;

    /// <summary>Connections above which a full probe says how many it makes.</summary>
    private const long LargeProbe = 100_000;

    public static async Task<int> WriteAsync(ClusterState cluster, string lab, IReadOnlySet<string> stoppedNodes, ProbeRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var ports = request.Ports.Count > 0
            ? request.Ports
            : [.. ReachabilityMatrix.DeclaredPorts(LabTopologyMapper.LabPods(cluster).Where(p => !LabPlanner.IsSystem(p) && (request.Namespace is null || p.Namespace == request.Namespace))).Where(p => p.Protocol != Protocol.SCTP)];
        var prober = new ConnectivityProber(cluster, lab) { Timeout = request.Timeout, StoppedNodes = stoppedNodes };
        if (request.Sample is { } sample)
        {
            stderr.WriteLine($"Sampling {sample.Pairs} ordered pairs per port with seed {sample.Seed} (repeat with --seed {sample.Seed})");
        }
        else if ((long)prober.Pods(request.Namespace).Count * prober.Pods(request.Namespace).Count * ports.Count > LargeProbe)
        {
            var count = prober.Pods(request.Namespace).Count;
            stderr.WriteLine($"note: probing every ordered pair of {count} pods on {ports.Count} port(s): {(long)count * count * ports.Count} connections; --sample N probes N of them");
        }

        var report = await prober.ProbeAsync(ports, request.Namespace, cancellationToken, request.Sample);
        ProbeOutput.Write(report, request.Json, stdout);
        var mismatches = report.Mismatches.Count();
        stderr.WriteLine($"{report.Cells.Length} connections probed in {report.Elapsed.TotalSeconds:F1} s: {(mismatches == 0 ? "all as the engine expects" : $"{mismatches} differ from what the engine expects")}{(request.Sample is null ? "" : $" (seed {request.Sample.Seed})")}");
        return mismatches == 0 ? 0 : MismatchExitCode;
    }
}
