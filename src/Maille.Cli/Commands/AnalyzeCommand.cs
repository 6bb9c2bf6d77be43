using System.CommandLine;
using Maille.Cli.Input;
using Maille.Cli.Output;

namespace Maille.Cli.Commands;

/// <summary><c>maille analyze -f PATH | --kubeconfig FILE [--context NAME]</c>: a readable report of the planned cluster and what a reviewer should look at.</summary>
internal static class AnalyzeCommand
{
    public static Command Create(CliContext context)
    {
        var filesOption = CommonOptions.Files(required: false);
        var configOption = CommonOptions.Config();
        var kubeconfigOption = CommonOptions.Kubeconfig();
        var contextOption = CommonOptions.Context();
        var command = new Command("analyze", """
            Plan the cluster from manifests and report nodes, pods per node, Services with their endpoints,
            and warnings a reviewer would want. Exit code 1 when the input is invalid.

            Examples:
              maille analyze -f examples/shop
              maille analyze --context maille-demo        # a running cluster (or lab), read through its API
            """)
        {
            filesOption,
            configOption,
            kubeconfigOption,
            contextOption,
        };
        command.SetAction(parse =>
        {
            var cluster = ClusterInput.Load(parse.GetValue(filesOption) ?? [], ClusterInput.Live(parse.GetValue(kubeconfigOption), parse.GetValue(contextOption)), parse.GetValue(configOption), context);
            if (cluster is null)
            {
                return 1;
            }

            AnalyzeReport.Write(cluster, context.Stdout);
            return 0;
        });
        return command;
    }
}
