using Maille.Model;

namespace Maille.TestKit;

/// <summary>
/// Every golden folder of the repository, and the one way to compare with them (<see cref="GoldenRoot.AssertMatches"/>,
/// <see cref="GoldenRoot.AssertLines"/>). The README's testing section names each folder, and a test keeps the two
/// lists equal. <c>MAILLE_UPDATE_GOLDEN=1</c> rewrites the files after a deliberate change.
/// </summary>
internal static class Goldens
{
    public const string UpdateVariable = "MAILLE_UPDATE_GOLDEN";

    /// <summary>The CLI's standard output: <c>CASE/input.yaml</c> and <c>CASE/*.expected</c>, whose first line is <c># maille ARGS</c>.</summary>
    public static readonly GoldenRoot CliOutput = new("tests/Maille.Cli.Tests/testassets/golden", "the CLI's output for each case's input.yaml");

    /// <summary>The validation errors: one folder a case, its manifest files and <c>expected.txt</c>.</summary>
    public static readonly GoldenRoot ValidationErrors = new("tests/Maille.Kube.Tests/testassets/validation", "the error lines of invalid manifests");

    /// <summary>kubectl's protobuf request bodies: one folder a command, its <c>body.bin</c>, <c>kubectl.txt</c> and <c>expected.json</c>.</summary>
    public static readonly GoldenRoot ProtobufBodies = new("tests/Maille.Kube.Tests/testassets/protobuf", "kubectl's protobuf request bodies and the JSON they read as");

    /// <summary>The playground's truth tables: <c>SCENARIO.txt</c>, <c>SCENARIO.stepN.txt</c> for two-step scenarios.</summary>
    public static readonly GoldenRoot TruthTables = new("tests/Maille.Engine.Tests/NetworkPolicy/golden", "the NetworkPolicy playground's truth tables");

    /// <summary>The Service tables: one folder per case, its <c>input.yaml</c> and one <c>NODE.nft</c> per node.</summary>
    public static readonly GoldenRoot ServiceTables = new("tests/Maille.Dataplane.Nftables.Tests/testassets/services", "each node's nftables Service table");

    /// <summary>The policy tables: <c>CASE/NODE.nft</c> per case folder, <c>playground/SCENARIO.nft</c> for node-1.</summary>
    public static readonly GoldenRoot PolicyTables = new("tests/Maille.Dataplane.Nftables.Tests/testassets/netpol", "each node's nftables policy table");

    public static IReadOnlyList<GoldenRoot> All { get; } = [CliOutput, ValidationErrors, ProtobufBodies, TruthTables, ServiceTables, PolicyTables];

    /// <summary>True when the golden files are to be rewritten from what the tests compute.</summary>
    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>The cluster every Service case is planned on.</summary>
    public static ClusterConfig TwoNodes { get; } = ClusterConfig.Default with { NodeCount = 2 };
}
