using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests.NetworkPolicies;

/// <summary>The kernel accepts every golden policy table, applied with libnftables in a scratch namespace.</summary>
public sealed class PolicyRulesetKernelTests
{
    [SkippableTheory]
    [MemberData(nameof(PolicyRulesetGoldenTests.Cases), MemberType = typeof(PolicyRulesetGoldenTests))]
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
                var applied = context.Run(PolicyRulesetGoldenTests.Render(goldenFile));
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
