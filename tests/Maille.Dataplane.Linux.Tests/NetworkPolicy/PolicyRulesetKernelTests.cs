using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests.NetworkPolicies;

/// <summary>
/// The kernel accepts every golden policy table, applied with libnftables in a scratch namespace. The tables are the
/// golden files themselves (tests/Maille.Dataplane.Nftables.Tests checks that the renderer writes exactly them).
/// </summary>
public sealed class PolicyRulesetKernelTests
{
    public static TheoryData<string> Cases() => [.. Goldens.PolicyTables.Files("*.nft")];

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void TheKernelAcceptsTheGoldenTable(string goldenFile)
    {
        Privileged.Require();
        var name = $"maille-{TestNames.NewLab()}-nft";
        using var ns = NetworkNamespace.Create(name);
        try
        {
            using var worker = new NamespaceWorker(ns, "golden-nft");
            var result = worker.Invoke(() =>
            {
                using var context = NftContext.Create();
                var applied = context.Run(Goldens.PolicyTables.Read(goldenFile));
                return applied.Succeeded ? context.Run("list table ip maille-policy") : applied;
            });

            Assert.True(result.Succeeded, result.Error);
            Assert.Contains("chain forward", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            NetworkNamespace.Delete(name);
        }
    }
}
