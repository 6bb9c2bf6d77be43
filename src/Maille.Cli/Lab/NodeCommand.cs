using System.CommandLine;
using System.Runtime.Versioning;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netlink;
using Maille.Dataplane.Linux.Netns;
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

    [SupportedOSPlatform("linux")]
    private static int SetNode(CliContext context, string lab, string node, bool up)
    {
        if (!NetworkNamespace.Exists(LabNames.Node(lab, node)))
        {
            context.Stderr.WriteLine($"error: lab {lab} has no node {node} (is the lab up? `maille ls`)");
            return 1;
        }

        using (var underlay = NetworkNamespace.Open(LabNames.Underlay(lab)))
        using (var netlink = RtNetlink.OpenIn(underlay))
        {
            netlink.SetLinkState(netlink.GetIndex(LabNames.NodeUnderlayInterface(node)), up);
            netlink.Flush();
        }

        if (up)
        {
            ForgetFailedNeighbours(lab);
        }

        var state = new LabState(lab);
        var stopped = state.ReadStoppedNodes().Where(n => n != node).ToList();
        if (!up)
        {
            stopped.Add(node);
        }

        state.WriteStoppedNodes(stopped);
        context.Stdout.WriteLine(up ? $"Node {node} of lab {lab} is back on the node network." : $"Node {node} of lab {lab} is stopped: disconnected from the node network.");
        return 0;
    }

    /// <summary>
    /// While a node was away its neighbours marked its address unreachable (ARP failed) and would answer "no route to
    /// host" for a while; a returning host announces itself, here by clearing the neighbour caches of every node
    /// (entries still being resolved when it left fail later, so failed ones alone are not enough).
    /// </summary>
    [SupportedOSPlatform("linux")]
    private static void ForgetFailedNeighbours(string lab)
    {
        foreach (var ns in NetworkNamespace.List(LabNames.Prefix(lab)).Where(n => n.StartsWith(LabNames.Prefix(lab) + "node-", StringComparison.Ordinal) || n == LabNames.External(lab)))
        {
            var start = new System.Diagnostics.ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true };
            foreach (var argument in new[] { "-n", ns, "neigh", "flush", "all" })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = System.Diagnostics.Process.Start(start)!;
            process.StandardError.ReadToEnd();
            process.WaitForExit();
        }
    }
}
