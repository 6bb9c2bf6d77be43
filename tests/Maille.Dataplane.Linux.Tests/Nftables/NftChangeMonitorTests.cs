using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests.Nftables;

/// <summary>
/// What wakes a node agent's drift check, in a namespace of the test's own: the kernel announces each commit to the
/// listener with the tables it touched, says nothing while nothing is committed or while the listener has left the
/// group, and a stop wakes it.
/// </summary>
public sealed class NftChangeMonitorTests
{
    private const int Quiet = 200;
    private const int Soon = 5_000;

    [SkippableFact]
    public void A_commit_wakes_the_monitor_and_nothing_else_does()
    {
        Privileged.Require();
        InOwnNamespace(nft =>
        {
            using var monitor = NftChangeMonitor.Open();
            Assert.Null(monitor.WaitForChange(Quiet));

            Commit(nft, "add table ip t; add chain ip t c; add rule ip t c counter accept; add table inet other");
            var first = monitor.WaitForChange(Soon);
            Assert.NotNull(first);
            Assert.True(first.Complete);
            Assert.Equal([("inet", "other"), ("ip", "t")], first.Tables.Order());
            // Every message of that commit was read by the wake-up: the next wait is quiet again.
            Assert.Null(monitor.WaitForChange(Quiet));

            // An element of a set: its table is named, as a rule's is.
            Commit(nft, "add set ip t s { type ipv4_addr; }");
            Assert.NotNull(monitor.WaitForChange(Soon));
            Commit(nft, "add element ip t s { 198.18.0.1 }");
            Assert.Equal([("ip", "t")], monitor.WaitForChange(Soon)?.Tables.Order());

            // 3,000 rules in one commit, more messages than the receive buffer may hold: one wake-up, nothing left.
            Commit(nft, string.Join(';', Enumerable.Range(0, 3000).Select(i => $"add rule ip t c tcp dport {i + 1} accept")));
            Assert.Contains(("ip", "t"), monitor.WaitForChange(Soon)?.Tables ?? new HashSet<(string, string)>());
            Assert.Null(monitor.WaitForChange(Quiet));
        });
    }

    [SkippableFact]
    public void A_paused_monitor_hears_no_commit_and_hears_again_after_resume()
    {
        Privileged.Require();
        InOwnNamespace(nft =>
        {
            using var monitor = NftChangeMonitor.Open();
            monitor.Pause();
            Commit(nft, "add table ip t");
            Assert.Null(monitor.WaitForChange(Quiet));

            monitor.Resume();
            Commit(nft, "delete table ip t");
            Assert.Equal([("ip", "t")], monitor.WaitForChange(Soon)?.Tables.Order());
        });
    }

    [SkippableFact]
    public void Stop_wakes_a_waiting_monitor_and_keeps_it_from_waiting_again()
    {
        Privileged.Require();
        InOwnNamespace(_ =>
        {
            using var monitor = NftChangeMonitor.Open();
            var waiting = Task.Factory.StartNew(() => monitor.WaitForChange(), TaskCreationOptions.LongRunning);
            Assert.False(waiting.Wait(Quiet), "returned before anything happened");
            monitor.Stop();
            Assert.True(waiting.Wait(Soon), "stop did not wake the waiting thread");
            Assert.Null(waiting.Result);
            Assert.Null(monitor.WaitForChange());
        });
    }

    private static void Commit(NftContext nft, string commands) => Assert.True(nft.Run(commands).Succeeded, commands);

    private static void InOwnNamespace(Action<NftContext> test)
    {
        var name = $"maille-{TestNames.NewLab()}-a";
        try
        {
            using var space = NetworkNamespace.Create(name);
            space.RunInside(() =>
            {
                using var nft = NftContext.Create();
                test(nft);
            });
        }
        finally
        {
            NetworkNamespaceTests.DeleteIfPresent(name);
        }
    }
}
