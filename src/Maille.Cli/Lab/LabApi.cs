using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Maille.Lab.Api;
using Maille.Lab.Labs;

namespace Maille.Cli.Lab;

/// <summary>How the commands that change a running lab reach its daemon and print what it answered, as kubectl does.</summary>
internal static class LabApi
{
    /// <summary>A client for the lab's daemon, or null (having said why) when the lab is not up.</summary>
    [SupportedOSPlatform("linux")]
    public static LabApiClient? Connect(CliContext context, string lab)
    {
        var state = new LabState(lab);
        if (!state.DaemonAlive() || !File.Exists(state.ApiSocket))
        {
            context.Stderr.WriteLine($"error: lab {lab} is not up (`maille ls` lists labs; `maille up -f ... --lab {lab}` starts one)");
            return null;
        }

        return new LabApiClient(state.ApiSocket);
    }

    /// <summary>Sends one request and prints the outcome; returns the exit code (0, or 1 when anything failed).</summary>
    [SupportedOSPlatform("linux")]
    public static int Send(CliContext context, LabApiClient client, HttpMethod method, string path, string body, string contentType = "application/yaml", string? source = null)
    {
        int status;
        JsonNode? answer;
        try
        {
            (status, answer) = client.SendAsync(method, path, body, contentType, source).GetAwaiter().GetResult();
        }
        catch (HttpRequestException e)
        {
            context.Stderr.WriteLine($"error: the lab's daemon did not answer: {e.Message}");
            return 1;
        }

        return Print(context, status, answer);
    }

    /// <summary>Prints a change result (outcomes to stdout, not-found and errors to stderr) or a Status.</summary>
    public static int Print(CliContext context, int status, JsonNode? answer)
    {
        if (answer?["kind"]?.GetValue<string>() == "Status")
        {
            var message = answer["message"]?.GetValue<string>() ?? "";
            if (status is >= 200 and < 300)
            {
                context.Stdout.WriteLine(message);
                return 0;
            }

            context.Stderr.WriteLine($"Error from server ({answer["reason"]?.GetValue<string>()}): {message}");
            return 1;
        }

        foreach (var outcome in answer?["outcomes"]?.AsArray() ?? [])
        {
            context.Stdout.WriteLine(outcome!["text"]!.GetValue<string>());
        }

        var failed = false;
        foreach (var missing in answer?["notFound"]?.AsArray() ?? [])
        {
            context.Stderr.WriteLine($"Error from server (NotFound): {missing!["text"]!.GetValue<string>()}");
            failed = true;
        }

        foreach (var error in answer?["errors"]?.AsArray() ?? [])
        {
            context.Stderr.WriteLine($"error: {error!.GetValue<string>()}");
            failed = true;
        }

        if (status is < 200 or >= 300)
        {
            if (!failed)
            {
                context.Stderr.WriteLine($"error: the lab's daemon answered {status}");
            }

            context.Stderr.WriteLine("error: nothing was changed");
            return 1;
        }

        return failed ? 1 : 0;
    }
}
