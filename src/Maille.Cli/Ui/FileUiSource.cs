using Maille.Cli.Commands;
using Maille.Cli.Input;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Kube;
using Maille.Kube.Views;

namespace Maille.Cli.Ui;

/// <summary>
/// <c>maille ui -f PATH…</c>: the cluster planned from files once, as every offline command plans it. The what-if
/// merges the objects given into those files as <c>maille apply</c> merges them (replaced by kind, namespace and name,
/// or added) and compares the two plans with <see cref="ReachabilityDiff"/>, as <c>maille diff</c> does.
/// </summary>
internal sealed class FileUiSource : IUiSource
{
    private readonly ClusterState _cluster;
    private readonly IReadOnlyList<ManifestSource> _sources;

    private FileUiSource(ClusterState cluster, IReadOnlyList<ManifestSource> sources, string description)
    {
        _cluster = cluster;
        _sources = sources;
        Description = description;
    }

    public string Mode => "files";

    public string Description { get; }

    /// <summary>The files planned, or null when they do not plan (every diagnostic printed to the context's stderr).</summary>
    public static FileUiSource? Load(IReadOnlyList<string> paths, string? configPath, CliContext context)
    {
        var cluster = ClusterInput.Load(paths, configPath, context, out var sources);
        return cluster is null ? null : new FileUiSource(cluster, sources, string.Join(' ', paths));
    }

    public Task<(ClusterState? Cluster, string Error)> ClusterAsync(CancellationToken cancellationToken) =>
        Task.FromResult<(ClusterState?, string)>((_cluster, ""));

    public Task<ViewText> TraceAsync(string from, string to, CancellationToken cancellationToken) =>
        Task.FromResult(ViewText.Capture((stdout, stderr) => TraceView.Write(_cluster, from, to, json: true, live: null, stdout, stderr)));

    public Task<ViewText> WhatIfAsync(string yaml, CancellationToken cancellationToken)
    {
        IReadOnlyList<ManifestDocument> changes;
        List<ManifestDocument> current = [];
        try
        {
            changes = ManifestDocument.Parse("what-if", yaml);
            foreach (var source in _sources)
            {
                current.AddRange(ManifestDocument.Parse(source.Name, source.Text));
            }
        }
        catch (FormatException e)
        {
            return Task.FromResult(new ViewText("", $"error: {e.Message}\n", DiffCommand.Trouble));
        }

        if (changes.Count == 0)
        {
            return Task.FromResult(new ViewText("", "error: no objects to apply\n", DiffCommand.Trouble));
        }

        var replaced = changes.Select(c => c.Key).ToHashSet();
        var merged = ManifestDocument.RenderInOrder(current.Where(d => !replaced.Contains(d.Key)).Concat(changes));
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("what-if", merged)]);
        var plan = ClusterPlanner.Plan(manifests, _cluster.Config, diagnostics);
        if (!plan.Succeeded || plan.Cluster is null)
        {
            var errors = string.Concat(plan.Errors.Select(e => $"error: {e}\n"));
            return Task.FromResult(new ViewText("", errors + "error: the change does not plan; nothing was compared\n", DiffCommand.Trouble));
        }

        var diff = ReachabilityDiff.Compute(_cluster, plan.Cluster);
        return Task.FromResult(ViewText.Capture((stdout, _) => WhatIfView.Write(diff, flows: null, json: false, stdout)));
    }

    public Task<string?> FollowFlowsAsync(string query, Func<string, ValueTask> line, CancellationToken cancellationToken) =>
        Task.FromResult<string?>("live flows need a running lab: maille ui --lab NAME");
}
