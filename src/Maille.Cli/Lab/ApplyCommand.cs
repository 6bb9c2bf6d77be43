using System.CommandLine;
using Maille.Cli.Commands;
using Maille.Kube;
using Maille.Lab.Api;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille apply -f PATH... [--lab NAME]</c>: creates or replaces objects in a running lab, all in one transaction:
/// the daemon plans the lab with the change and applies it only when the whole set plans without errors.
/// </summary>
internal static class ApplyCommand
{
    public static Command Create(CliContext context)
    {
        var lab = LabCommon.LabOption();
        var files = CommonOptions.Files();
        var command = new Command("apply", """
            Create or update objects in a running lab, as kubectl apply does: new pods get a namespace, an address
            and their ports; changed labels, Services and policies take effect at once. The files are checked first
            and the whole set is applied as one change, or not at all.

            Examples:
              sudo maille apply -f examples/shop/extra-pod.yaml --lab demo
              kubectl create deployment web --image=x --dry-run=client -o yaml | sudo maille apply -f -
            """)
        {
            files,
            lab,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(lab)!;
            if (!LabCommon.CanRunLab(context, name) || !OperatingSystem.IsLinux())
            {
                return 1;
            }

            return Apply(context, name, parse.GetValue(files) ?? []);
        });
        return command;
    }

    /// <summary>
    /// What <c>maille apply -f PATHS --lab LAB</c> does (the demo uses it too): checks the files, sends them to the
    /// daemon as one change, prints each object's outcome; the exit code.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static int Apply(CliContext context, string lab, IReadOnlyList<string> paths)
    {
        if (ChangeInput.ReadDocuments(context, paths, validate: true) is not { } documents)
        {
            return 1;
        }

        using var client = LabApi.Connect(context, lab);
        return client is null ? 1 : LabApi.Send(context, client, HttpMethod.Post, $"/apis/{LabApiServer.MailleGroup}/apply", ManifestDocument.Render(documents));
    }
}
