using System.CommandLine;
using System.Runtime.InteropServices;
using Maille.Cli.Commands;

namespace Maille.Cli.Ui;

/// <summary>
/// <c>maille ui --lab NAME | -f PATH… [--port PORT]</c>: a web page of the cluster on 127.0.0.1 (docs/ui.md): the
/// topology, the reachability matrix as a heatmap, a trace drawn on the graph, the what-if, and a lab's live flows.
/// </summary>
internal static class UiCommand
{
    public static Command Create(CliContext context)
    {
        var files = CommonOptions.Files(required: false);
        var lab = new Option<string?>("--lab") { Description = "Show a running lab, through its API (live flows too)" };
        var config = CommonOptions.Config();
        var port = new Option<int>("--port") { Description = "The port on 127.0.0.1 (default: a free one)", DefaultValueFactory = _ => 0 };
        var command = new Command("ui", """
            Serve a web page of the cluster on 127.0.0.1: the topology (nodes, pods, Services, LoadBalancers,
            Ingresses, Gateways), the reachability matrix as a heatmap grouped by namespace, a trace drawn on the
            graph, the what-if of a change, and with --lab the live flows. Prints the address to open: it carries a
            random token, and a request without it is refused (401). Runs until interrupted (Ctrl-C).

            Examples:
              maille ui -f examples/shop
              maille ui -f examples/netpol-playground/pods.yaml -f examples/netpol-playground/scenarios/deny-all-ingress.yaml --port 8800
              sudo maille ui --lab demo
            """)
        {
            files,
            lab,
            config,
            port,
        };
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(files) ?? [];
            var labName = parse.GetValue(lab);
            if (paths.Length > 0 == labName is not null)
            {
                context.Stderr.WriteLine("error: give manifests with -f, or a running lab with --lab (one of the two)");
                return 1;
            }

            if (labName is not null && parse.GetValue(config) is not null)
            {
                context.Stderr.WriteLine("error: --config goes with -f; a lab has its own");
                return 1;
            }

            if (parse.GetValue(port) is < 0 or > 65535)
            {
                context.Stderr.WriteLine($"error: --port {parse.GetValue(port)}: a port is 0 (any free one) to 65535");
                return 1;
            }

            if (UiBundle.Files.Count == 0)
            {
                context.Stderr.WriteLine($"error: {UiBundle.Assembly.Location} was built without the page (ui/): build it with npm on PATH");
                return 1;
            }

            var kubeconfig = Path.Combine(Path.GetTempPath(), $"maille-ui-{Environment.ProcessId}.kubeconfig");
            try
            {
                IUiSource? source = labName is null
                    ? FileUiSource.Load(paths, parse.GetValue(config), context)
                    : OperatingSystem.IsLinux() ? LabUiSource.Connect(labName, kubeconfig, context) : null;
                return source is null ? 1 : Serve(source, parse.GetValue(port), context);
            }
            finally
            {
                File.Delete(kubeconfig);
            }
        });
        return command;
    }

    private static int Serve(IUiSource source, int port, CliContext context)
    {
        using var interrupted = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            signal.Cancel = true;
            interrupted.Cancel();
        });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            interrupted.Cancel();
        });
        UiServer server;
        try
        {
            server = UiServer.StartAsync(source, port).GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            context.Stderr.WriteLine($"error: cannot listen on 127.0.0.1:{port}: {e.Message}");
            return 1;
        }

        context.Stdout.WriteLine($"Maille UI for {source.Description}:");
        context.Stdout.WriteLine($"  {server.LoginAddress}");
        context.Stdout.WriteLine("Press Ctrl-C to stop.");
        context.Stdout.Flush();
        try
        {
            server.WaitForShutdownAsync(interrupted.Token).GetAwaiter().GetResult();
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return 0;
    }
}
