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
        var dryRun = new Option<string?>("--dry-run")
        {
            Description = "impact: apply nothing; print the connections the change would gain and lose, and the seen flows it would cut (exit 0 none, 1 some, 2 trouble)",
        };
        dryRun.AcceptOnlyFromAmong("impact");
        var since = new Option<string?>("--since")
        {
            Description = "with --dry-run=impact: also the new connections the lab's nodes reported in this window (30s, 10m, 1h30m), not only those tracked now",
        };
        var output = CommonOptions.CreateOutput("table", "json");
        output.Description += " (with --dry-run=impact)";
        var command = new Command("apply", """
            Create or update objects in a running lab, as kubectl apply does: new pods get a namespace, an address
            and their ports; changed labels, Services and policies take effect at once. The files are checked first
            and the whole set is applied as one change, or not at all.

            Examples:
              sudo maille apply -f examples/shop/extra-pod.yaml --lab demo
              sudo maille apply --dry-run=impact -f examples/shop-changes/allow-api-from-ingress.yaml --lab demo
              sudo maille apply --dry-run=impact --since 10m -f examples/shop-changes/allow-api-from-ingress.yaml --lab demo
              kubectl create deployment web --image=x --dry-run=client -o yaml | sudo maille apply -f -
            """)
        {
            files,
            lab,
            dryRun,
            since,
            output,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(lab)!;
            var impact = parse.GetValue(dryRun) == "impact";
            var window = parse.GetValue(since);
            TimeSpan? sinceSpan = null;
            if (window is not null)
            {
                if (!impact)
                {
                    context.Stderr.WriteLine("error: --since: only with --dry-run=impact (which flows seen in that window the change would cut)");
                    return 1;
                }

                if (!DurationText.TryParse(window, out var parsed) || parsed < TimeSpan.FromSeconds(1))
                {
                    context.Stderr.WriteLine($"error: --since: '{window}' is not a duration of at least one second (30s, 10m, 1h30m)");
                    return Commands.DiffCommand.Trouble;
                }

                sinceSpan = parsed;
            }

            if (!LabCommon.CanRunLab(context, name) || !OperatingSystem.IsLinux())
            {
                return impact ? Commands.DiffCommand.Trouble : 1;
            }

            return impact
                ? Impact(context, name, parse.GetValue(files) ?? [], parse.GetValue(output) == "json", sinceSpan)
                : Apply(context, name, parse.GetValue(files) ?? []);
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

    /// <summary>
    /// <c>maille apply --dry-run=impact</c>: the lab's daemon plans the change as a dry run and prints what it would gain,
    /// lose and cut (<c>maille diff</c>'s output, plus the flows); nothing is applied. Exit 0, 1 or 2, as <c>diff</c>.
    /// </summary>
    private static int Impact(CliContext context, string lab, IReadOnlyList<string> paths, bool json, TimeSpan? since)
    {
        if (ChangeInput.ReadDocuments(context, paths, validate: true) is not { } documents)
        {
            return Commands.DiffCommand.Trouble;
        }

        var answer = LabViews.Ask(context, lab, "impact", [("output", json ? "json" : null), ("sinceSeconds", since is { } s ? ((long)s.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : null)], ManifestDocument.Render(documents), contentType: "application/yaml");
        if (answer is null)
        {
            return Commands.DiffCommand.Trouble;
        }

        context.Stdout.Write(answer.Stdout);
        context.Stderr.Write(answer.Stderr);
        return answer.ExitCode;
    }
}
