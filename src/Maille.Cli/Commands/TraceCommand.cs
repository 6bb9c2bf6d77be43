using System.CommandLine;
using System.Net;
using Maille.Cli.Input;
using Maille.Cli.Output;
using Maille.Engine.Trace;

namespace Maille.Cli.Commands;

/// <summary><c>maille trace -f PATH… --from SRC --to DST [-o text|json]</c>: follow one connection and explain its fate.</summary>
internal static class TraceCommand
{
    public static Command Create(CliContext context)
    {
        var files = CommonOptions.Files(required: false);
        var lab = new Option<string?>("--lab") { Description = "Trace in a running lab instead of -f: its live state, the nftables chain and rule that decide on the entry node, and the NetworkPolicy rules each endpoint meets" };
        var config = CommonOptions.Config();
        var from = new Option<string>("--from") { Description = "NS/POD, external, or external:IP (a client on the node network)", Required = true };
        var to = new Option<string>("--to") { Description = "NS/POD:PORT[/PROTO], NAME.NS[.svc[.cluster.local]]:PORT[/PROTO], IP:PORT[/PROTO], or http(s)://HOST[:PORT]/PATH (through the Ingress controller)", Required = true };
        var output = CommonOptions.CreateOutput("text", "json");
        var command = new Command("trace", """
            Follow one connection as the data plane will carry it: DNS, the Service and its traffic policies, each
            candidate endpoint, egress policy on the source, ingress policy on the destination, and delivery.
            An http:// or https:// destination goes through the Ingress controller: TLS certificate, the Ingress
            rule that matches Host and path (or 404/503), then from a controller pod to the backend's endpoints.
            Exit code 0 whatever the verdict; 1 on invalid input or an unknown source.

            Examples:
              maille trace -f examples/shop --from shop-web/frontend-497dph9tpv-bccbx --to api.shop-api:80
              maille trace -f examples/shop --from external --to 198.18.0.11:30080 -o json
              maille trace -f examples/shop --from external --to http://shop.example/api/items -o json
              sudo maille trace --lab demo --from external --to 198.18.0.11:30080
              sudo maille trace --lab play --from y/b --to x/a:80
            """)
        {
            files,
            lab,
            config,
            from,
            to,
            output,
        };
        command.SetAction(parse =>
        {
            var labName = parse.GetValue(lab);
            var paths = parse.GetValue(files) ?? [];
            if ((labName is null) == (paths.Length == 0))
            {
                context.Stderr.WriteLine("error: give -f FILE... (offline) or --lab NAME (a running lab), not both");
                return 1;
            }

            var cluster = labName is null ? ClusterInput.Load(paths, parse.GetValue(config), context) : GetCommand.LiveCluster(context, labName);
            if (cluster is null)
            {
                return 1;
            }

            var sourceText = parse.GetValue(from)!;
            TraceSource source;
            if (sourceText == "external" || sourceText.StartsWith("external:", StringComparison.Ordinal))
            {
                var address = Tracer.DefaultExternalAddress(cluster.Config);
                if (sourceText.Length > "external".Length && !IPAddress.TryParse(sourceText["external:".Length..], out address))
                {
                    context.Stderr.WriteLine($"error: --from {sourceText}: expected external:IP, e.g. external:198.18.0.2");
                    return 1;
                }

                source = new TraceSource(null, address);
            }
            else if (cluster.PodsByName.TryGetValue(sourceText, out var pod) && pod.Status.PodIP is { } podIP)
            {
                source = new TraceSource(pod, podIP);
            }
            else
            {
                context.Stderr.WriteLine($"error: --from {sourceText}: no such pod with an address (expected NS/POD, external or external:IP; `maille get pods -A -f …` lists pods)");
                return 1;
            }

            var target = TraceTarget.TryParse(parse.GetValue(to)!, cluster.Config.DnsDomain, out var error, source.Pod?.Namespace);
            if (target is null)
            {
                context.Stderr.WriteLine($"error: --to {error}");
                return 1;
            }

            var result = Tracer.For(cluster).Trace(source, target);
            var nftables = labName is not null && OperatingSystem.IsLinux() ? Lab.LiveTrace.Query(context, labName, cluster, source, target, result) : null;
            if (parse.GetValue(output) == "json")
            {
                TraceOutput.WriteJson(context.Stdout, result, nftables);
            }
            else
            {
                TraceOutput.WriteText(context.Stdout, source, target, result);
                if (nftables is not null)
                {
                    Lab.LiveTrace.WriteText(context.Stdout, nftables);
                }
            }

            return 0;
        });
        return command;
    }
}
