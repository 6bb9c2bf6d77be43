using System.CommandLine;
using Maille.Cli.Input;
using Maille.Kube.Views;

namespace Maille.Cli.Commands;

/// <summary><c>maille trace -f PATH… --from SRC --to DST [-o text|json]</c>: follow one connection and explain its fate.</summary>
internal static class TraceCommand
{
    public static Command Create(CliContext context)
    {
        var files = CommonOptions.Files(required: false);
        var lab = new Option<string?>("--lab") { Description = "Trace in a running lab instead of -f: its live state, the nftables chain and rule that decide on the entry node, and the NetworkPolicy rules each endpoint meets" };
        var config = CommonOptions.Config();
        var kubeconfig = CommonOptions.Kubeconfig();
        var kubeContext = CommonOptions.Context();
        var from = new Option<string?>("--from") { Description = "NS/POD, external, or external:IP (a client on the node network); required except through a Gateway" };
        var to = new Option<string>("--to") { Description = "NS/POD:PORT[/PROTO], NAME.NS[.svc[.cluster.local]]:PORT[/PROTO], IP:PORT[/PROTO], or http(s)://HOST[:PORT]/PATH (through the Ingress controller, a Gateway, or the waypoint of a Service: http://SVC.NS:PORT/PATH)", Required = true };
        var output = CommonOptions.CreateOutput("text", "json");
        var method = new Option<string>("--method") { Description = "The request's method, through a Gateway or a waypoint (GET by default)", DefaultValueFactory = _ => "GET" };
        var header = new Option<string[]>("--header") { Description = "A request header 'NAME: VALUE', through a Gateway or a waypoint (repeatable)", AllowMultipleArgumentsPerToken = false };
        var via = new Option<string?>("--via") { Description = "NS/GATEWAY: the Gateway the request goes through, when several could serve it" };
        var command = new Command("trace", """
            Follow one connection as the data plane will carry it: DNS, the Service and its traffic policies, each
            candidate endpoint, egress policy on the source, ingress policy on the destination, and delivery.
            An http:// or https:// destination goes through the Ingress controller: TLS certificate, the Ingress
            rule that matches Host and path (or 404/503), then from a controller pod to the backend's endpoints.
            From a meshed pod to http://SVC.NS:PORT/PATH of a Service that uses a waypoint, the trace follows the
            waypoint instead: its authorization, route, status, and the hop to the endpoint with its identity.
            Exit code 0 whatever the verdict; 1 on invalid input or an unknown source.

            Examples:
              maille trace -f examples/shop --from shop-web/frontend-497dph9tpv-bccbx --to api.shop-api:80
              maille trace -f examples/shop --from external --to 198.18.0.11:30080 -o json
              maille trace -f examples/shop --from external --to http://shop.example/api/items -o json
              maille trace -f examples/gateway --to http://www.shop.example/api/items --header 'x-user: 1' -o json
              maille trace -f examples/waypoint --from front/web --to http://reviews.shop:9080/api/items --method GET
              sudo maille trace --lab demo --from external --to 198.18.0.11:30080
              sudo maille trace --lab play --from y/b --to x/a:80
              maille trace --context maille-play --from y/b --to x/a:80   # a running cluster, read through its API
            """)
        {
            files,
            lab,
            config,
            kubeconfig,
            kubeContext,
            from,
            to,
            output,
            method,
            header,
            via,
        };
        command.SetAction(parse =>
        {
            var labName = parse.GetValue(lab);
            var paths = parse.GetValue(files) ?? [];
            var live = ClusterInput.Live(parse.GetValue(kubeconfig), parse.GetValue(kubeContext));
            if (new[] { paths.Length > 0, labName is not null, live is not null }.Count(given => given) != 1)
            {
                context.Stderr.WriteLine("error: give manifests with -f, a running lab with --lab, or a running cluster with --kubeconfig/--context (one of them)");
                return 1;
            }

            var json = parse.GetValue(output) == "json";
            var throughGateway = parse.GetValue(via) is not null || (parse.GetValue(from) is null && parse.GetValue(to)!.Contains("://", StringComparison.Ordinal));
            if (throughGateway && labName is not null)
            {
                context.Stderr.WriteLine("error: tracing through a Gateway reads -f or a cluster; a lab does not serve Gateways yet");
                return 1;
            }

            if (!throughGateway && parse.GetValue(from) is null)
            {
                context.Stderr.WriteLine("error: --from is required (except for an http(s):// request through a Gateway)");
                return 1;
            }

            if (labName is not null)
            {
                return Lab.LabViews.Show(context, labName, "trace", [("from", parse.GetValue(from)), ("to", parse.GetValue(to)), ("output", json ? "json" : null)]);
            }

            var cluster = ClusterInput.Load(paths, live, parse.GetValue(config), context);
            if (cluster is not null && throughGateway)
            {
                return GatewayTraceView.Write(cluster, parse.GetValue(to)!, parse.GetValue(method)!, parse.GetValue(header) ?? [], parse.GetValue(via), json, context.Stdout, context.Stderr);
            }

            if (cluster is not null && WaypointTraceView.TryWrite(cluster, parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(method)!, parse.GetValue(header) ?? [], json, context.Stdout, context.Stderr) is { } exit)
            {
                return exit;
            }

            return cluster is null ? 1 : TraceView.Write(cluster, parse.GetValue(from)!, parse.GetValue(to)!, json, live: null, context.Stdout, context.Stderr);
        });
        return command;
    }
}
