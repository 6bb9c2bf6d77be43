using System.CommandLine;
using Maille.Kube.Tables;
using Maille.Lab.Labs;

namespace Maille.Cli.Lab;

/// <summary><c>maille ls</c>: the labs on this machine, with their state.</summary>
internal static class LsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("ls", """
            List the labs on this machine: name, status (Ready, Starting, Failed, or Stopped when the daemon is gone),
            network mode, nodes, pods, namespaces and age.

            Example:
              sudo maille ls
            """);
        command.SetAction(_ =>
        {
            if (!LabCommon.CanRunLab(context, LabCommon.DefaultLab) || !OperatingSystem.IsLinux())
            {
                return 1;
            }

            var labs = LabCommon.KnownLabs();
            if (labs.Count == 0)
            {
                context.Stderr.WriteLine("No lab is up.");
                return 0;
            }

            var table = new KubectlTable(["NAME", "STATUS", "MODE", "NODES", "PODS", "NAMESPACES", "AGE"]);
            foreach (var lab in labs)
            {
                var state = new LabState(lab);
                var status = state.ReadStatus();
                var alive = state.DaemonAlive();
                var phase = status is null ? "Stopped" : alive ? status.Phase : "Stopped";
                table.Add(
                    lab,
                    phase,
                    status?.Mode ?? "-",
                    status is null ? "-" : status.Nodes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    status is null ? "-" : status.Pods.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    LabNamespaces.Count(lab).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    status is null ? "<unknown>" : HumanDuration.Age(status.Since, TimeProvider.System));
            }

            table.Write(context.Stdout);
            return 0;
        });
        return command;
    }
}
