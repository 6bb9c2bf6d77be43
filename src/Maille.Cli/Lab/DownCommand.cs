using System.CommandLine;
using Maille.Lab.Labs;

namespace Maille.Cli.Lab;

/// <summary><c>maille down [--lab NAME | --all] [--kubeconfig FILE]</c>: removes every namespace, link, route and process of a lab, also after a crash, and its kubectl context.</summary>
internal static class DownCommand
{
    public static Command Create(CliContext context)
    {
        var lab = LabCommon.LabOption();
        var all = new Option<bool>("--all") { Description = "Every lab on this machine, including what crashed labs left behind" };
        var kubeconfig = LabCommon.KubeconfigOption();
        var command = new Command("down", """
            Take a lab down: stop its daemon and pod programs, delete its network namespaces (and with them every veth
            and route), and remove its state and its kubectl context (maille-LAB). Safe to run again, and after a crash.

            Examples:
              sudo maille down --lab play
              sudo maille down --all
            """)
        {
            lab,
            all,
            kubeconfig,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(lab)!;
            if (!LabCommon.CanRunLab(context, name) || !OperatingSystem.IsLinux())
            {
                return 1;
            }

            var labs = parse.GetValue(all) ? LabCommon.KnownLabs() : [name];
            if (labs.Count == 0)
            {
                context.Stdout.WriteLine("No lab is up.");
            }

            foreach (var each in labs)
            {
                var removed = LabTeardown.TakeDown(each);
                context.Stdout.WriteLine($"Lab {each} is down ({removed} network namespace{(removed == 1 ? "" : "s")} removed).");
                LabCommon.ForgetKubeconfig(context, each, parse.GetValue(kubeconfig));
            }

            return 0;
        });
        return command;
    }
}
