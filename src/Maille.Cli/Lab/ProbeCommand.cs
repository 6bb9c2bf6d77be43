using System.CommandLine;
using Maille.Cli.Commands;
using Maille.Engine.NetworkPolicies;
using Maille.Lab.Probing;
using Maille.Model;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille probe [--lab NAME] [--port PORT/PROTO]… [-n NS] [--sample N [--seed S]] [-o table|json]</c>: real
/// connections from every pod to every pod (or a seeded sample of the pairs), compared with the engine. Exit code 0 when observed equals expected, 3 otherwise.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create(CliContext context)
    {
        var lab = LabCommon.LabOption();
        var ports = new Option<string[]>("--port") { Description = "PORT or PORT/PROTO (TCP, UDP); repeatable. Default: every TCP/UDP containerPort the pods declare", AllowMultipleArgumentsPerToken = false };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Only this namespace's pods" };
        var timeout = new Option<int>("--timeout") { Description = "Milliseconds each attempt may take", DefaultValueFactory = _ => 1000 };
        var sample = new Option<int?>("--sample") { Description = "Probe N random ordered pairs of pods per port instead of every pair (a lab of 1,000 pods has a million)" };
        var seed = new Option<int?>("--seed") { Description = "The seed --sample draws its pairs with (printed; default: a new one each run)" };
        var output = CommonOptions.CreateOutput("table", "json");
        var command = new Command("probe", """
            Send real connections from every pod to every pod of a running lab (a TCP connect; a UDP datagram and its
            answer), in parallel and bounded, and compare with what the engine expects (NetworkPolicy allows it and the
            destination serves the port). JSON has the same fields as `maille matrix` (allowed = observed) plus
            expected per connection and a mismatches list. Exit code 0 when everything matches, 3 otherwise.

            Every ordered pair is pods² connections per port: a lab of 1,000 pods has a million. --sample N probes N
            pairs per port drawn at random from them (seeded; the seed is printed, and --seed repeats a draw). Labs of
            more than 50 pods, and samples, print a summary per port and the mismatches instead of truth tables.

            Examples:
              sudo maille probe --lab play
              sudo maille probe --lab play --port 80/TCP --port 80/UDP -o json
              sudo maille probe --lab big --sample 20000 --seed 7
            """)
        {
            lab,
            ports,
            ns,
            timeout,
            sample,
            seed,
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

            ProbeSample? drawn = null;
            if (parse.GetValue(sample) is { } pairs)
            {
                if (pairs < 1)
                {
                    context.Stderr.WriteLine($"error: --sample {pairs}: expected a number of pairs of at least 1");
                    return 1;
                }

                drawn = new ProbeSample(pairs, parse.GetValue(seed) ?? Random.Shared.Next());
            }
            else if (parse.GetValue(seed) is not null)
            {
                context.Stderr.WriteLine("error: --seed goes with --sample");
                return 1;
            }

            var body = ProbeRequestJson.Write(new ProbeRequest(chosen, parse.GetValue(ns), TimeSpan.FromMilliseconds(parse.GetValue(timeout)), drawn, parse.GetValue(output) == "json"));

            // The daemon probes from the plan it runs and answers when done: as long as it takes, or until Ctrl-C.
            return await Task.Run(() => LabViews.Show(context, name, "probe", [], body, Timeout.InfiniteTimeSpan, cancellationToken), cancellationToken);
        });
        return command;
    }
}
