using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Maille.Lab.Api;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille observe --lab NAME [--from POD|NS/] [--to …] [--verdict allowed|dropped|all] [--follow] [-o table|json]</c>:
/// the lab's new connections and denied ones, read from the nodes' kernels by the daemon (docs/observe.md). The CLI
/// only prints what the daemon's <c>flows</c> stream sends: JSON lines as they are, or a table.
/// </summary>
internal static class ObserveCommand
{
    public static Command Create(CliContext context)
    {
        var lab = LabCommon.LabOption();
        var from = new Option<string?>("--from") { Description = "Only flows from this pod (NS/NAME, or NAME in default), namespace (NS/) or address" };
        var to = new Option<string?>("--to") { Description = "Only flows to this pod or Service (NS/NAME, or NAME in default), namespace (NS/) or address" };
        var verdict = new Option<string>("--verdict") { Description = "allowed, dropped or all", DefaultValueFactory = _ => "all" };
        verdict.AcceptOnlyFromAmong("allowed", "dropped", "all");
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing flows as the kernels see them, until interrupted" };
        var output = Commands.CommonOptions.CreateOutput("table", "json");
        var command = new Command("observe", """
            Show the lab's flows as the nodes' kernels see them: every new connection (conntrack) and every connection a
            NetworkPolicy denied (the policy tables' log group), with the pods at each end, the Service when one was
            addressed, the port and protocol, the verdict, and the rule that decided it. Without --follow, prints the
            flows the daemon saw recently and exits. When events were lost, a line says how many.

            Examples:
              sudo maille observe --lab demo
              sudo maille observe --lab demo --verdict dropped --follow
              sudo maille observe --lab demo --from shop-web/ --to shop-api/api -o json
            """)
        {
            lab,
            from,
            to,
            verdict,
            follow,
            output,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(lab)!;
            if (!LabCommon.CanRunLab(context, name) || !OperatingSystem.IsLinux())
            {
                return 1;
            }

            using var client = LabApi.Connect(context, name);
            if (client is null)
            {
                return 1;
            }

            var query = new List<string> { "verdict=" + parse.GetValue(verdict) };
            if (parse.GetValue(from) is { Length: > 0 } source)
            {
                query.Add("from=" + Uri.EscapeDataString(source));
            }

            if (parse.GetValue(to) is { Length: > 0 } target)
            {
                query.Add("to=" + Uri.EscapeDataString(target));
            }

            if (parse.GetValue(follow))
            {
                query.Add("follow=true");
            }

            var json = parse.GetValue(output) == "json";
            using var interrupted = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
            {
                signal.Cancel = true;
                interrupted.Cancel();
            });
            if (!json)
            {
                context.Stdout.WriteLine(FlowTable.Header);
            }

            try
            {
                var (status, refusal) = client.StreamLinesAsync($"/apis/{LabApiServer.MailleGroup}/flows?{string.Join('&', query)}", line => Print(context, line, json), interrupted.Token).GetAwaiter().GetResult();
                return status == 200 ? 0 : LabApi.Print(context, status, refusal);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
            catch (HttpRequestException e)
            {
                context.Stderr.WriteLine($"error: the lab's daemon did not answer: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static void Print(CliContext context, string line, bool json)
    {
        var item = JsonNode.Parse(line)!;
        if ((string?)item["kind"] == "Error")
        {
            context.Stderr.WriteLine($"warning: {(string?)item["message"]}");
        }
        else if (json)
        {
            context.Stdout.WriteLine(line);
        }
        else
        {
            context.Stdout.WriteLine(FlowTable.Row(item));
        }

        context.Stdout.Flush();
    }
}
