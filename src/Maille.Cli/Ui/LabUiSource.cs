using System.Runtime.Versioning;
using System.Threading.Channels;
using Maille.Cli.Input;
using Maille.Cli.Lab;
using Maille.Engine;
using Maille.Kube.Views;
using Maille.Lab.Api;
using Maille.Lab.Labs;

namespace Maille.Cli.Ui;

/// <summary>
/// <c>maille ui --lab NAME</c>: everything through the lab's API, the one door. The cluster is read as
/// <c>maille matrix --context maille-NAME</c> reads it (its objects, planned as a dump) with a kubeconfig of the lab's
/// own; trace and what-if are the daemon's views (<c>trace</c>, <c>impact</c>) that <c>maille trace --lab</c> and
/// <c>maille apply --dry-run=impact</c> print; the flows are its <c>flows</c> stream.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LabUiSource : IUiSource
{
    /// <summary>Flow lines waiting for a slow page; past that, lines are counted and reported as one <c>Lost</c> line.</summary>
    private const int FlowBacklog = 16_384;

    private readonly string _lab;
    private readonly string _kubeconfig;

    private LabUiSource(string lab, string kubeconfig)
    {
        _lab = lab;
        _kubeconfig = kubeconfig;
    }

    public string Mode => "lab";

    public string Description => $"lab {_lab}";

    /// <summary>The lab's source, or null (having said why) when it is not up.</summary>
    public static LabUiSource? Connect(string lab, string kubeconfigFile, CliContext context)
    {
        if (!LabCommon.CanRunLab(context, lab))
        {
            return null;
        }

        try
        {
            File.WriteAllText(kubeconfigFile, LabCommon.Kubeconfig(new LabState(lab)));
            File.SetUnixFileMode(kubeconfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            context.Stderr.WriteLine($"error: {e.Message}");
            return null;
        }

        return new LabUiSource(lab, kubeconfigFile);
    }

    public Task<(ClusterState? Cluster, string Error)> ClusterAsync(CancellationToken cancellationToken) => Task.Run(() =>
    {
        using var stderr = new StringWriter();
        var cluster = ClusterInput.LoadLive(new ClusterSource(_kubeconfig, null), null, new CliContext(TextReader.Null, TextWriter.Null, stderr));
        return (cluster, stderr.ToString());
    }, cancellationToken);

    public Task<ViewText> TraceAsync(string from, string to, CancellationToken cancellationToken) =>
        Task.Run(() => Ask("trace", [("from", from), ("to", to), ("output", "json")], body: null, failed: 1, cancellationToken), cancellationToken);

    public Task<ViewText> WhatIfAsync(string yaml, CancellationToken cancellationToken) =>
        Task.Run(() => Ask("impact", [], yaml, failed: Commands.DiffCommand.Trouble, cancellationToken), cancellationToken);

    public async Task<string?> FollowFlowsAsync(string query, Func<string, ValueTask> line, CancellationToken cancellationToken)
    {
        var state = new LabState(_lab);
        if (!state.DaemonAlive() || !File.Exists(state.ApiSocket))
        {
            return $"lab {_lab} is not up";
        }

        // The daemon's stream is read as fast as it comes; the page is written from a bounded queue, so a slow page
        // loses lines (counted, and said in a Lost line of source "ui") instead of holding the daemon's stream.
        var queue = Channel.CreateBounded<string>(new BoundedChannelOptions(FlowBacklog) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var lost = 0;
        using var client = new LabApiClient(state.ApiSocket);
        var reading = Task.Run(async () =>
        {
            try
            {
                var (status, refusal) = await client.StreamLinesAsync($"/apis/{LabApiServer.MailleGroup}/flows?{query}&follow=true", text =>
                {
                    if (!queue.Writer.TryWrite(text))
                    {
                        Interlocked.Increment(ref lost);
                    }
                }, cancellationToken);
                return status == 200 ? null : $"the lab's daemon answered {status}: {refusal?["message"]}";
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                return $"the lab's daemon did not answer: {e.Message}";
            }
            finally
            {
                queue.Writer.TryComplete();
            }
        }, cancellationToken);

        await foreach (var text in queue.Reader.ReadAllAsync(cancellationToken))
        {
            if (Interlocked.Exchange(ref lost, 0) is > 0 and var count)
            {
                await line($$"""{"kind":"Lost","time":"{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}}","node":null,"source":"ui","count":{{count}},"exact":true}""");
            }

            await line(text);
        }

        return await reading;
    }

    /// <summary>The daemon's view; when it could not answer, what went wrong with the exit code <paramref name="failed"/>.</summary>
    private ViewText Ask(string view, IEnumerable<(string Name, string? Value)> query, string? body, int failed, CancellationToken cancellationToken)
    {
        using var stderr = new StringWriter();
        var context = new CliContext(TextReader.Null, TextWriter.Null, stderr);
        return LabViews.Ask(context, _lab, view, query, body, contentType: "application/yaml", cancellationToken: cancellationToken)
            ?? new ViewText("", stderr.ToString(), failed);
    }
}
