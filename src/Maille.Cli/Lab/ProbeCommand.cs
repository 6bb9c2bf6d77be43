using System.CommandLine;
using System.Runtime.Versioning;
using Maille.Cli.Commands;
using Maille.Engine.NetworkPolicies;
using Maille.Lab.Labs;
using Maille.Lab.Probing;
using Maille.Model;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille probe [--lab NAME] [--port PORT/PROTO]… [-n NS] [-o table|json]</c>: real connections from every pod to
/// every pod, compared with the engine. Exit code 0 when observed equals expected, 3 otherwise.
/// </summary>
internal static class ProbeCommand
{
    public const int MismatchExitCode = 3;

    public static Command Create(CliContext context)
    {
        var lab = LabCommon.LabOption();
        var ports = new Option<string[]>("--port") { Description = "PORT or PORT/PROTO (TCP, UDP); repeatable. Default: every TCP/UDP containerPort the pods declare", AllowMultipleArgumentsPerToken = false };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Only this namespace's pods" };
        var timeout = new Option<int>("--timeout") { Description = "Milliseconds each attempt may take", DefaultValueFactory = _ => 1000 };
        var output = CommonOptions.CreateOutput("table", "json");
        var command = new Command("probe", """
            Send real connections from every pod to every pod of a running lab (a TCP connect; a UDP datagram and its
            answer), in parallel and bounded, and compare with what the engine expects (NetworkPolicy allows it and the
            destination serves the port). JSON has the same fields as `maille matrix` (allowed = observed) plus
            expected per connection and a mismatches list. Exit code 0 when everything matches, 3 otherwise.

            Examples:
              sudo maille probe --lab play
              sudo maille probe --lab play --port 80/TCP --port 80/UDP -o json
            """)
        {
            lab,
            ports,
            ns,
            timeout,
            output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var name = parse.GetValue(lab)!;
            if (!LabCommon.CanRunLab(context, name) || !OperatingSystem.IsLinux())
            {
                return 1;
            }

            var chosen = new List<PortProtocol>();
            foreach (var text in parse.GetValue(ports) ?? [])
            {
                if (!PortProtocol.TryParse(text, out var port) || port.Protocol == Protocol.SCTP)
                {
                    context.Stderr.WriteLine($"error: --port {text}: expected PORT or PORT/PROTO with PROTO TCP or UDP (this kernel has no SCTP sockets)");
                    return 1;
                }

                chosen.Add(port);
            }

            return await ProbeAsync(context, name, chosen, parse.GetValue(ns), TimeSpan.FromMilliseconds(parse.GetValue(timeout)), parse.GetValue(output) == "json", cancellationToken);
        });
        return command;
    }

    [SupportedOSPlatform("linux")]
    private static async Task<int> ProbeAsync(CliContext context, string lab, List<PortProtocol> ports, string? ns, TimeSpan timeout, bool json, CancellationToken cancellationToken)
    {
        var state = new LabState(lab);
        if (!state.DaemonAlive() || state.ReadStatus()?.Phase != LabStatus.Ready)
        {
            context.Stderr.WriteLine($"error: lab {lab} is not up (`maille ls` lists labs; `maille up -f … --lab {lab}` starts one)");
            return 1;
        }

        var cluster = LabDaemon.LoadCluster(state);
        if (ports.Count == 0)
        {
            ports.AddRange(ReachabilityMatrix.DeclaredPorts(LabTopologyMapper.LabPods(cluster).Where(p => !LabPlanner.IsSystem(p) && (ns is null || p.Namespace == ns))).Where(p => p.Protocol != Protocol.SCTP));
        }

        var report = await new ConnectivityProber(cluster, lab) { Timeout = timeout, StoppedNodes = state.ReadStoppedNodes().ToHashSet(StringComparer.Ordinal) }.ProbeAsync(ports, ns, cancellationToken);
        ProbeOutput.Write(report, json, context.Stdout);
        var mismatches = report.Mismatches.Count();
        context.Stderr.WriteLine($"{report.Cells.Length} connections probed in {report.Elapsed.TotalSeconds:F1} s: {(mismatches == 0 ? "all as the engine expects" : $"{mismatches} differ from what the engine expects")}");
        return mismatches == 0 ? 0 : MismatchExitCode;
    }
}
