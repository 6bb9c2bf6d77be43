using Maille.Engine;
using Maille.Kube.Views;

namespace Maille.Cli.Ui;

/// <summary>
/// What <c>maille ui</c> shows, from files (<see cref="FileUiSource"/>) or from a running lab (<see cref="LabUiSource"/>).
/// Every read is the engine's or the lab daemon's own: the page computes no verdict of its own.
/// </summary>
internal interface IUiSource
{
    /// <summary><c>files</c> or <c>lab</c>.</summary>
    string Mode { get; }

    /// <summary>What was loaded, in words: the files, or the lab's name.</summary>
    string Description { get; }

    /// <summary>The cluster now, or null with the reason in <c>Error</c>.</summary>
    Task<(ClusterState? Cluster, string Error)> ClusterAsync(CancellationToken cancellationToken);

    /// <summary><c>maille trace --from … --to … -o json</c>'s output and exit code.</summary>
    Task<ViewText> TraceAsync(string from, string to, CancellationToken cancellationToken);

    /// <summary>The what-if of applying <paramref name="yaml"/>: <c>maille diff</c>'s table, or on a lab <c>apply --dry-run=impact</c>'s.</summary>
    Task<ViewText> WhatIfAsync(string yaml, CancellationToken cancellationToken);

    /// <summary>
    /// Streams the lab's flows (<c>maille observe --follow -o json</c> lines) to <paramref name="line"/> until cancelled;
    /// returns null, or why no flows can be read (files have none).
    /// </summary>
    Task<string?> FollowFlowsAsync(string query, Func<string, ValueTask> line, CancellationToken cancellationToken);
}
