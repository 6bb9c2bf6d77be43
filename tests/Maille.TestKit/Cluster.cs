using Maille.Engine;
using Maille.Kube;
using Maille.Model;

namespace Maille.TestKit;

/// <summary>Loads and plans manifests written inline in a test, the way the CLI does.</summary>
public static class Cluster
{
    /// <summary>Loads YAML (one or more files' text) and returns the plan result, diagnostics included.</summary>
    internal static PlanResult Plan(string yaml, ClusterConfig? config = null, string file = "test.yaml") =>
        Plan([new ManifestSource(file, yaml)], config);

    internal static PlanResult Plan(IEnumerable<ManifestSource> sources, ClusterConfig? config = null, Engine.Allocation.PriorAllocations? prior = null)
    {
        var (manifests, diagnostics) = ManifestLoader.Load(sources);
        return ClusterPlanner.Plan(manifests, config ?? ClusterConfig.Default, diagnostics, prior: prior);
    }

    /// <summary>Plans YAML again on top of an earlier plan, as a running lab does after a change.</summary>
    internal static PlanResult Replan(string yaml, ClusterState earlier, ClusterConfig? config = null) =>
        Plan([new ManifestSource("test.yaml", yaml)], config, Engine.Allocation.PriorAllocations.From(earlier));

    /// <summary>Plans YAML that must be valid; fails with every diagnostic otherwise.</summary>
    internal static ClusterState Valid(string yaml, ClusterConfig? config = null)
    {
        var result = Plan(yaml, config);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("expected valid input, got:\n" + string.Join("\n", result.Errors));
        }

        return result.Cluster!;
    }

    /// <summary>The error lines (as printed) of YAML that must be invalid.</summary>
    internal static IReadOnlyList<string> Errors(string yaml, ClusterConfig? config = null, string file = "test.yaml") =>
        [.. Plan(yaml, config, file).Errors.Select(e => e.ToString())];

    /// <summary>The repository root (the folder holding Maille.slnx), for examples and golden folders.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Maille.slnx")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Maille.slnx not found above " + AppContext.BaseDirectory);
        }
    }
}
