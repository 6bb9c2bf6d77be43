using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Maille.TestKit;

namespace Maille.Cli.Tests;

// A src project's internals are seen by its own tests, the shared test builders and the benchmarks, and by no other
// assembly: what another project uses is a public contract (Directory.Build.props; docs/architecture.md, "Public
// types"). Each project under src/ is read from its assembly, so a new project is checked without being listed here.
public sealed class InternalsVisibleToTests
{
    public static TheoryData<string> SourceProjects() => new(ProjectNames());

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void A_source_assembly_shows_its_internals_only_to_its_own_tests_the_test_kit_and_the_benchmarks(string project)
    {
        var assembly = Assembly.Load(AssemblyNameOf(project));

        var friends = assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName).Order(StringComparer.Ordinal);

        Assert.Equal(new[] { "Maille.Benchmarks", project + ".Tests", "Maille.TestKit" }.Order(StringComparer.Ordinal), friends);
    }

    [Fact]
    public void Every_source_project_is_checked()
    {
        Assert.Equal(
            ["Maille.Cli", "Maille.Dataplane.Ebpf", "Maille.Dataplane.Linux", "Maille.Dataplane.Nftables", "Maille.Engine", "Maille.Kube", "Maille.Lab", "Maille.Model"],
            ProjectNames());
    }

    private static string[] ProjectNames() =>
        [.. Directory.GetDirectories(Path.Combine(Cluster.RepositoryRoot, "src")).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    /// <summary>The project's AssemblyName when it sets one (the CLI is <c>maille</c>), else the project's name.</summary>
    private static string AssemblyNameOf(string project)
    {
        var csproj = XDocument.Load(Path.Combine(Cluster.RepositoryRoot, "src", project, project + ".csproj"));
        return csproj.Descendants("AssemblyName").SingleOrDefault()?.Value ?? project;
    }
}
