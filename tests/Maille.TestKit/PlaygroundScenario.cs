using Maille.Engine;
using Maille.Kube;
using Maille.Model;

namespace Maille.TestKit;

/// <summary>
/// A scenario of examples/netpol-playground, on its pods.yaml. A one-step scenario is the policies of
/// <c>scenarios/NAME.yaml</c>. A two-step scenario is a folder <c>two-step/NAME/</c>: the policies of
/// <c>step1.yaml</c>, then the live change whose <c>maille</c> arguments <c>step2.txt</c> holds (<c>apply -f step2.yaml</c>,
/// <c>label pod b -n x pod2=updated</c>, <c>label ns y ns2=updated</c>, <c>delete networkpolicy deny-all -n x</c>; file
/// names relative to the folder). The engine tests plan each step; the live-lab tests apply the same files and run the
/// same command on a running lab.
/// </summary>
internal sealed class PlaygroundScenario
{
    private PlaygroundScenario(string name, string policiesFile, IReadOnlyList<string>? change)
    {
        Name = name;
        PoliciesFile = policiesFile;
        Change = change;
    }

    public static string Folder { get; } = Path.Combine(Cluster.RepositoryRoot, "examples", "netpol-playground");

    public static string PodsFile { get; } = Path.Combine(Folder, "pods.yaml");

    public string Name { get; }

    /// <summary>The policies of the first (or only) step.</summary>
    public string PoliciesFile { get; }

    /// <summary>The second step's <c>maille</c> arguments (files as absolute paths, no <c>--lab</c>); null for one step.</summary>
    public IReadOnlyList<string>? Change { get; }

    public int Steps => Change is null ? 1 : 2;

    public static IReadOnlyList<string> OneStepNames() =>
        [.. Directory.GetFiles(Path.Combine(Folder, "scenarios"), "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!];

    public static IReadOnlyList<string> TwoStepNames() =>
        [.. Directory.GetDirectories(Path.Combine(Folder, "two-step")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    public static PlaygroundScenario Load(string name)
    {
        var oneStep = Path.Combine(Folder, "scenarios", name + ".yaml");
        if (File.Exists(oneStep))
        {
            return new PlaygroundScenario(name, oneStep, null);
        }

        var folder = Path.Combine(Folder, "two-step", name);
        var arguments = File.ReadAllText(Path.Combine(folder, "step2.txt")).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return new PlaygroundScenario(name, Path.Combine(folder, "step1.yaml"), [.. arguments.Select((a, i) => i > 0 && arguments[i - 1] == "-f" ? Path.Combine(folder, a) : a)]);
    }

    /// <summary>The manifests of <paramref name="step"/> (1 or 2): pods.yaml and step 1's policies, then the change.</summary>
    public ManifestSet Manifests(int step)
    {
        Assert.InRange(step, 1, Steps);
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource(PodsFile, File.ReadAllText(PodsFile)), new ManifestSource(PoliciesFile, File.ReadAllText(PoliciesFile))]);
        Assert.True(!diagnostics.Any(d => d.IsError), string.Join("\n", diagnostics));
        return step == 1 ? manifests : PlaygroundChange.Apply(manifests, Change!);
    }

    /// <summary>The cluster the engine plans for <paramref name="step"/>; fails with every error when it does not plan.</summary>
    public ClusterState Plan(int step)
    {
        var result = ClusterPlanner.Plan(Manifests(step), ClusterConfig.Default);
        Assert.True(result.Succeeded, $"{Name}, step {step}: " + string.Join("\n", result.Errors));
        return result.Cluster!;
    }

    public override string ToString() => Name;
}
