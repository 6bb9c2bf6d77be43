using System.Text;
using Maille.Kube.Views;
using Maille.Lab.Api;

namespace Maille.Cli.Lab;

/// <summary>
/// How <c>get</c>, <c>describe</c>, <c>trace</c> and <c>probe</c> read a running lab: they ask its daemon, which
/// computes the read from the one plan it runs (<c>…/views/…</c>), and print what it wrote, with its exit code.
/// </summary>
internal static class LabViews
{
    /// <summary>Asks the daemon for a view and prints it; returns its exit code, or 1 when the daemon could not answer.</summary>
    public static int Show(CliContext context, string lab, string view, IEnumerable<(string Name, string? Value)> query, string? body = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var answer = Ask(context, lab, view, query, body, timeout: timeout, cancellationToken: cancellationToken);
        if (answer is null)
        {
            return 1;
        }

        context.Stdout.Write(answer.Stdout);
        context.Stderr.Write(answer.Stderr);
        return answer.ExitCode;
    }

    /// <summary>The daemon's view, or null (having said why) when it could not answer.</summary>
    public static ViewText? Ask(CliContext context, string lab, string view, IEnumerable<(string Name, string? Value)> query, string? body = null, string contentType = "application/json", TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!LabCommon.CanRunLab(context, lab) || !OperatingSystem.IsLinux())
        {
            return null;
        }

        using var client = LabApi.Connect(context, lab);
        if (client is null)
        {
            return null;
        }

        var path = new StringBuilder($"/apis/{LabApiServer.MailleGroup}/views/{view}");
        var separator = '?';
        foreach (var (name, value) in query.Where(q => q.Value is not null))
        {
            path.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value!));
            separator = '&';
        }

        try
        {
            var (status, answer) = client.SendAsync(body is null ? HttpMethod.Get : HttpMethod.Post, path.ToString(), body, contentType, timeout: timeout, cancellationToken: cancellationToken).GetAwaiter().GetResult();
            if (status != 200 || answer?["kind"]?.GetValue<string>() != "View")
            {
                LabApi.Print(context, status, answer);
                return null;
            }

            return new ViewText(answer["stdout"]?.GetValue<string>() ?? "", answer["stderr"]?.GetValue<string>() ?? "", answer["exitCode"]?.GetValue<int>() ?? 1);
        }
        catch (HttpRequestException e)
        {
            context.Stderr.WriteLine($"error: the lab's daemon did not answer: {e.Message}");
            return null;
        }
    }
}
