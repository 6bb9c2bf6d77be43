using System.CommandLine;
using System.Runtime.Versioning;
using Maille.Lab.Api;
using Maille.Lab.Labs;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille node stop|start NODE [--lab NAME]</c>: simulates a node failure by taking the node's link to the node
/// network down (the node keeps its routes, as a host whose cable is pulled does), and brings it back.
/// </summary>
internal static class NodeCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("node", """
            Fail a node of a running lab, or bring it back: its link to the node network goes down (or up), so its
            pods become unreachable from other nodes and from outside, and reachable again on start.

            Examples:
              sudo maille node stop node-2 --lab play
              sudo maille node start node-2 --lab play
            """);
        command.Subcommands.Add(Create(context, "stop", up: false));
        command.Subcommands.Add(Create(context, "start", up: true));
        return command;
    }

    private static Command Create(CliContext context, string verb, bool up)
    {
        var lab = LabCommon.LabOption();
        var node = new Argument<string>("NODE") { Description = "The node's name, as maille get nodes prints it" };
        var command = new Command(verb, up ? "Reconnect a stopped node to the node network." : "Disconnect a node from the node network (a node failure).")
        {
            lab,
            node,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(lab)!;
            if (!LabCommon.CanRunLab(context, name) || !OperatingSystem.IsLinux())
            {
                return 1;
            }

            return SetNode(context, name, parse.GetValue(node)!, up);
        });
        return command;
    }

    /// <summary>
    /// The daemon takes the node's link down or up and stops or starts its agent (which then stops programming the
    /// node, as a failed node's kube-proxy does); it remembers stopped nodes across its own restarts.
    /// </summary>
    [SupportedOSPlatform("linux")]
    private static int SetNode(CliContext context, string lab, string node, bool up)
    {
        if (!LabNamespaces.Exists(LabNamespaces.Node(lab, node)))
        {
            context.Stderr.WriteLine($"error: lab {lab} has no node {node} (is the lab up? `maille ls`)");
            return 1;
        }

        using var client = LabApi.Connect(context, lab);
        if (client is null)
        {
            return 1;
        }

        var (status, answer) = client.SendAsync(HttpMethod.Post, $"/apis/{LabApiServer.MailleGroup}/nodes/{node}/{(up ? "start" : "stop")}", "").GetAwaiter().GetResult();
        if (status is < 200 or >= 300)
        {
            return LabApi.Print(context, status, answer);
        }

        context.Stdout.WriteLine(up ? $"Node {node} of lab {lab} is back on the node network." : $"Node {node} of lab {lab} is stopped: disconnected from the node network.");
        return 0;
    }
}
