using System.CommandLine;
using Maille.Cli.Commands;

namespace Maille.Cli;

/// <summary>Builds the <c>maille</c> command tree and runs one invocation.</summary>
internal static class CliApp
{
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var context = new CliContext(stdin, stdout, stderr);
        var root = new RootCommand("""
            Maille: Kubernetes networking, computed exactly. Plan Services, EndpointSlices and addresses from
            ordinary Kubernetes YAML, and explain who can reach whom.

            Examples:
              maille get svc -A -f examples/shop
              maille analyze -f examples/shop
              maille matrix -f examples/netpol-playground/pods.yaml -f examples/netpol-playground/scenarios/peers-or.yaml
              maille trace -f examples/shop --from external --to 198.18.0.11:30080
              maille diff -f examples/netpol-playground/pods.yaml --with examples/netpol-playground/pods.yaml --with examples/netpol-playground/scenarios/deny-all-ingress.yaml
              maille convert ingress-to-gateway -f examples/shop
            """)
        {
            GetCommand.Create(context),
            DescribeCommand.Create(context),
            AnalyzeCommand.Create(context),
            MatrixCommand.Create(context),
            TraceCommand.Create(context),
            DiffCommand.Create(context),
            ConvertCommand.Create(context),
            Ui.UiCommand.Create(context),
            Lab.DemoCommand.Create(context),
            Lab.UpCommand.Create(context),
            Lab.DownCommand.Create(context),
            Lab.KubeconfigCommand.Create(context),
            Lab.LsCommand.Create(context),
            Lab.ExecCommand.Create(context),
            Lab.ApplyCommand.Create(context),
            Lab.DeleteCommand.Create(context),
            Lab.LabelCommand.Create(context),
            Lab.ProbeCommand.Create(context),
            Lab.StatusCommand.Create(context),
            Lab.ObserveCommand.Create(context),
            Lab.NodeCommand.Create(context),
            Lab.LabDaemonCommand.Create(context),
            Lab.AgentCommand.Create(context),
            Compare.CompareCommand.Create(context),
        };
        var parse = root.Parse(args);
        var code = parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });

        // A what-if's usage error is trouble (2), as diff's: its 1 means "there is a difference". convert's is bad
        // input (2), as its other refusals; compare's too, where 1 means a lab or a measure failed.
        return parse.Errors.Count > 0 && (IsWhatIf(parse) || parse.CommandResult.Command.Name is ConvertCommand.IngressToGateway or "compare") ? Commands.DiffCommand.Trouble : code;
    }

    /// <summary><c>maille diff</c>, and <c>maille apply --dry-run…</c>: the commands whose exit code 1 means "they differ".</summary>
    private static bool IsWhatIf(ParseResult parse) =>
        parse.CommandResult.Command.Name == "diff"
        || (parse.CommandResult.Command.Name == "apply" && parse.Tokens.Any(t => t.Value.StartsWith("--dry-run", StringComparison.Ordinal)));
}
