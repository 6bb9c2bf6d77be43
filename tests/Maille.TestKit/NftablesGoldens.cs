using Maille.Model;

namespace Maille.TestKit;

/// <summary>
/// The golden nftables tables, in tests/Maille.Dataplane.Nftables.Tests/testassets: rendered and compared there, and
/// loaded into a kernel by tests/Maille.Dataplane.Linux.Tests, so both read the same files.
/// </summary>
internal static class NftablesGoldens
{
    /// <summary>The Service tables: one folder per case, its <c>input.yaml</c> and one <c>NODE.nft</c> per node.</summary>
    public static string ServiceTables => Path.Combine(Root, "services");

    /// <summary>The policy tables: <c>CASE/NODE.nft</c> per case folder, <c>playground/SCENARIO.nft</c> for node-1.</summary>
    public static string PolicyTables => Path.Combine(Root, "netpol");

    /// <summary>The cluster every Service case is planned on.</summary>
    public static ClusterConfig TwoNodes { get; } = ClusterConfig.Default with { NodeCount = 2 };

    private static string Root => Path.Combine(Cluster.RepositoryRoot, "tests", "Maille.Dataplane.Nftables.Tests", "testassets");

    /// <summary>Every <c>*.nft</c> file under <paramref name="tables"/>, relative to it, in ordinal order.</summary>
    /// <remarks>Strings, not TheoryData: this project compiles against another xunit.core than the test projects.</remarks>
    public static IReadOnlyList<string> Files(string tables) =>
        [.. Directory.EnumerateFiles(tables, "*.nft", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => Path.GetRelativePath(tables, f))];
}
