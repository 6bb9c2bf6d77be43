using System.CommandLine;
using System.Diagnostics;
using Maille.Lab.Labs;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille exec [--lab NAME] NS/POD|node/NODE|external -- CMD…</c>: runs a real program inside a pod's, a node's or
/// the outside client's network namespace (through iproute2's <c>ip netns exec</c>), with the terminal attached.
/// </summary>
internal static class ExecCommand
{
    public static Command Create(CliContext context)
    {
        var lab = LabCommon.LabOption();
        var target = new Argument<string>("TARGET") { Description = "NS/POD, node/NODE, or external (a client on the node network, outside the cluster)" };
        var program = new Argument<string[]>("COMMAND") { Description = "The program and its arguments, after --", Arity = ArgumentArity.OneOrMore };
        var command = new Command("exec", """
            Run a program inside a pod's (or a node's, or the outside client's) network namespace: it sees exactly
            the interfaces, addresses and routes the pod has. Its exit code is maille's.

            Examples:
              sudo maille exec --lab play x/a -- ip -4 addr show eth0
              sudo maille exec --lab play x/a -- curl -s 198.19.2.2/clientip
              sudo maille exec --lab play node/node-1 -- ip route
              sudo maille exec --lab play external -- ping -c1 198.18.0.11
            """)
        {
            lab,
            target,
            program,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(lab)!;
            if (!LabCommon.CanRunLab(context, name) || !OperatingSystem.IsLinux())
            {
                return 1;
            }

            var what = parse.GetValue(target)!;
            var ns = what switch
            {
                "external" => LabNamespaces.External(name),
                _ when what.StartsWith("node/", StringComparison.Ordinal) => LabNamespaces.Node(name, what["node/".Length..]),
                _ when what.Contains('/', StringComparison.Ordinal) => LabNamespaces.Pod(name, what),
                _ => null,
            };
            if (ns is null)
            {
                context.Stderr.WriteLine($"error: {what}: expected NS/POD, node/NODE or external");
                return 1;
            }

            if (!LabNamespaces.Exists(ns))
            {
                context.Stderr.WriteLine($"error: {what} is not part of lab {name} (is the lab up? `maille ls`; hostNetwork pods run in their node: node/NODE)");
                return 1;
            }

            // In the ebpf data plane a pod's ClusterIP connections are translated by hooks on the lab's cgroup, which
            // act on the sockets of its members only: the command joins it (through this process, whose child it is).
            LabNamespaces.JoinLabCgroup(name, Environment.ProcessId);

            var start = new ProcessStartInfo("ip") { UseShellExecute = false };
            foreach (var argument in new[] { "netns", "exec", ns }.Concat(parse.GetValue(program)!))
            {
                start.ArgumentList.Add(argument);
            }

            var redirect = !ReferenceEquals(context.Stdout, Console.Out);
            start.RedirectStandardOutput = redirect;
            start.RedirectStandardError = redirect;
            using var process = Process.Start(start)!;
            if (redirect)
            {
                var stderr = process.StandardError.ReadToEndAsync();
                context.Stdout.Write(process.StandardOutput.ReadToEnd());
                context.Stderr.Write(stderr.GetAwaiter().GetResult());
            }

            process.WaitForExit();
            return process.ExitCode;
        });
        return command;
    }
}
