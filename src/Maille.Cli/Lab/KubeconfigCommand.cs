using System.CommandLine;
using Maille.Lab.Labs;

namespace Maille.Cli.Lab;

/// <summary><c>maille kubeconfig [--lab NAME]</c>: prints a running lab's standalone kubeconfig (one cluster, user and context, current).</summary>
internal static class KubeconfigCommand
{
    public static Command Create(CliContext context)
    {
        var lab = LabCommon.LabOption();
        var command = new Command("kubeconfig", """
            Print a complete kubeconfig for a running lab on stdout: one cluster (its API over HTTPS on 127.0.0.1), one
            user (the lab's admin client certificate, with its key: keep the file private), one context named
            maille-LAB, current. maille up already adds the same context to your kubeconfig; this one stands alone.

            Examples:
              sudo maille kubeconfig --lab play > play.kubeconfig && chmod 600 play.kubeconfig
              kubectl --kubeconfig play.kubeconfig get pods -A
            """)
        {
            lab,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(lab)!;
            if (!LabCommon.CanRunLab(context, name) || !OperatingSystem.IsLinux())
            {
                return 1;
            }

            try
            {
                context.Stdout.Write(LabCommon.Kubeconfig(new LabState(name)));
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                context.Stderr.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
