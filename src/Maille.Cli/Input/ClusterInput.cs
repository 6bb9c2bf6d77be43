using Maille.Engine;
using Maille.Kube;
using Maille.Model;

namespace Maille.Cli.Input;

/// <summary>
/// Reads <c>-f</c> inputs and <c>--config</c>, plans the cluster and prints every diagnostic (warnings too) to
/// standard error. Returns null when anything was wrong: nothing is computed from an invalid set.
/// </summary>
internal static class ClusterInput
{
    public static ClusterState? Load(IReadOnlyList<string> paths, string? configPath, CliContext context) =>
        Load(paths, configPath, context, out _);

    /// <summary>As <see cref="Load(IReadOnlyList{string}, string?, CliContext)"/>, also giving the texts read (standard input can be read once only).</summary>
    public static ClusterState? Load(IReadOnlyList<string> paths, string? configPath, CliContext context, out IReadOnlyList<ManifestSource> sources)
    {
        sources = ManifestFiles.Read(paths, context.Stdin, out var fileErrors);
        foreach (var error in fileErrors)
        {
            context.Stderr.WriteLine($"error: {error}");
        }

        return Plan(sources, fileErrors.Count, configPath, context);
    }

    /// <summary>
    /// The cluster from files (<paramref name="paths"/>) or from a running cluster (<paramref name="live"/>), exactly
    /// one of the two; null, after saying why, otherwise or when it cannot be read or planned.
    /// </summary>
    public static ClusterState? Load(IReadOnlyList<string> paths, ClusterSource? live, string? configPath, CliContext context)
    {
        if (paths.Count > 0 == live is not null)
        {
            context.Stderr.WriteLine("error: give manifests with -f, or a running cluster with --kubeconfig/--context (one of the two)");
            return null;
        }

        return live is null ? Load(paths, configPath, context) : LoadLive(live, configPath, context);
    }

    /// <summary>The running cluster the options name, or null when neither <c>--kubeconfig</c> nor <c>--context</c> was given.</summary>
    public static ClusterSource? Live(string? kubeconfig, string? contextName) =>
        kubeconfig is null && contextName is null ? null : new ClusterSource(kubeconfig, contextName);

    /// <summary>
    /// Reads a running cluster's objects through its API (<see cref="Kube.Live.LiveClusterReader"/>) and plans them as
    /// a dump, printing what was left out; null, after saying why, when the cluster cannot be read or does not plan.
    /// </summary>
    public static ClusterState? LoadLive(ClusterSource live, string? configPath, CliContext context)
    {
        Kube.Live.LiveClusterRead read;
        string name;
        try
        {
            var (client, contextName) = Kube.Live.LiveClusterReader.Connect(live.Kubeconfig, live.Context);
            name = contextName;
            using (client)
            {
                read = Kube.Live.LiveClusterReader.ReadAsync(client, contextName).GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            context.Stderr.WriteLine($"error: kubeconfig {live.Kubeconfig ?? "(default)"}: {e.Message}");
            return null;
        }

        foreach (var note in read.Notes)
        {
            context.Stderr.WriteLine($"note: {name}: {note}");
        }

        if (read.Error is not null)
        {
            context.Stderr.WriteLine($"error: {name}: {read.Error}; nothing was computed");
            return null;
        }

        return Plan(read.Sources, 0, configPath, context);
    }

    private static ClusterState? Plan(IReadOnlyList<ManifestSource> sources, int fileErrorCount, string? configPath, CliContext context)
    {

        var config = ClusterConfig.Default;
        var diagnostics = new List<Diagnostic>();
        if (configPath is not null)
        {
            if (!File.Exists(configPath))
            {
                context.Stderr.WriteLine($"error: {configPath}: no such file");
                return null;
            }

            var (loaded, configDiagnostics) = ClusterConfigLoader.Load(configPath, File.ReadAllText(configPath));
            diagnostics.AddRange(configDiagnostics);
            config = loaded ?? config;
        }

        var (manifests, loadDiagnostics) = ManifestLoader.Load(sources);
        diagnostics.AddRange(loadDiagnostics);
        var result = ClusterPlanner.Plan(manifests, config, diagnostics);
        Report(result.Diagnostics, manifests.Skipped, context);
        if (fileErrorCount > 0 || !result.Succeeded)
        {
            var count = result.Errors.Count() + fileErrorCount;
            context.Stderr.WriteLine($"error: {count} problem{(count == 1 ? "" : "s")} found; nothing was computed");
            return null;
        }

        return result.Cluster;
    }

    /// <summary>How many warnings are printed before the rest are counted.</summary>
    public const int MaxWarningsShown = 50;

    private static void Report(IEnumerable<Diagnostic> diagnostics, IEnumerable<SkippedObject> skipped, CliContext context)
    {
        foreach (var diagnostic in diagnostics.Where(d => d.IsError))
        {
            context.Stderr.WriteLine($"error: {diagnostic}");
        }

        // Errors are all shown (each must be fixed); warnings stop after a screenful: a lab of 10,000 pods that
        // outgrew its pod CIDRs would otherwise print one per pending pod.
        var warnings = diagnostics.Where(d => !d.IsError).ToList();
        foreach (var diagnostic in warnings.Take(MaxWarningsShown))
        {
            context.Stderr.WriteLine($"warning: {diagnostic}");
        }

        if (warnings.Count > MaxWarningsShown)
        {
            context.Stderr.WriteLine($"warning: … and {warnings.Count - MaxWarningsShown} more warnings");
        }

        foreach (var item in skipped)
        {
            var name = item.Name is null ? "" : " " + (item.Namespace is null ? item.Name : $"{item.Namespace}/{item.Name}");
            context.Stderr.WriteLine($"skipped: {item.Source}: {item.Kind}{name} ({item.ApiVersion}): not a kind Maille models");
        }
    }
}
