using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests.Nftables;

/// <summary>
/// The two readings a node agent tells drift by, in a namespace of the test's own: the ruleset generation moves at every
/// commit, whoever makes it; the fingerprint of some tables' rules moves only when their rules do.
/// </summary>
public sealed class NftDriftSignalsTests
{
    private static readonly (string Family, string Table)[] Watched = [("ip", "watched")];

    [SkippableFact]
    public void EveryCommitMovesTheGeneration_OnlyRulesOfTheWatchedTablesMoveTheFingerprint()
    {
        Privileged.Require();
        var name = $"maille-{TestNames.NewLab()}-a";
        try
        {
            using var space = NetworkNamespace.Create(name);
            space.RunInside(() =>
            {
                using var nft = NftContext.Create();
                void Commit(string commands) => Assert.True(nft.Run(commands).Succeeded, commands);

                var missing = NftRuleFingerprint.Of(Watched);
                Commit("add table ip watched; add chain ip watched c; add rule ip watched c counter accept");
                var generation = NftGeneration.Current();
                var written = NftRuleFingerprint.Of(Watched);
                Assert.NotEqual(missing, written);
                Assert.Equal(written, NftRuleFingerprint.Of(Watched));

                // Another table's commit: the generation moves, the watched rules' fingerprint does not.
                Commit("add table ip other; add chain ip other c; add rule ip other c accept");
                Assert.Equal(generation + 1, NftGeneration.Current());
                Assert.Equal(written, NftRuleFingerprint.Of(Watched));

                // The watched table flushed, then the same rule added again: a new kernel handle, a new fingerprint.
                Commit("flush table ip watched");
                var flushed = NftRuleFingerprint.Of(Watched);
                Assert.NotEqual(written, flushed);
                Commit("add rule ip watched c counter accept");
                Assert.NotEqual(written, NftRuleFingerprint.Of(Watched));
                Assert.NotEqual(flushed, NftRuleFingerprint.Of(Watched));
                Assert.Equal(generation + 3, NftGeneration.Current());

                Commit("delete table ip watched");
                Assert.Equal(missing, NftRuleFingerprint.Of(Watched));
            });
        }
        finally
        {
            NetworkNamespaceTests.DeleteIfPresent(name);
        }
    }
}
