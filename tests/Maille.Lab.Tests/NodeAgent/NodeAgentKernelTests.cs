using System.Diagnostics;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.Engine;
using Maille.Lab.NodeAgents;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.NodeAgents;

// Privileged: a node agent's parts in a scratch namespace (maille-tXXXXXX-agent, no interfaces, no traffic), on the
// real clock. The cluster is the every-kind Service case on two nodes; the agent is node-1's.
public sealed class NodeAgentKernelTests(ITestOutputHelper output)
{
    private const string ServiceTable = "ip maille-svc";
    private const string PolicyTable = "ip maille-policy";

    private static ClusterState EveryKind => EveryKindCase.Plan(EveryKindCase.Yaml);

    [SkippableFact]
    public async Task Tables_deleted_behind_the_agents_back_are_written_again_within_the_full_sync_interval()
    {
        Privileged.Require();
        await WithNamespace(async ns =>
        {
            var interval = TimeSpan.FromSeconds(1);
            using var agent = new NodeAgent("node-1", new NodeAgentParts
            {
                Services = new ServiceProxyPart(new NodeServiceProxy(ns, "node-1")),
                Policy = new NodePolicyEnforcer(ns, "node-1"),
            }, new NodeAgentOptions().WithFullSyncInterval(interval));
            await agent.WhenSyncedAsync(agent.Sync(EveryKind), _ => true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            var services = NftKernel.Table(ns.Name, ServiceTable);
            var policy = NftKernel.Table(ns.Name, PolicyTable);
            Assert.Contains("chain services", services, StringComparison.Ordinal);
            Assert.Contains("chain forward", policy, StringComparison.Ordinal);
            // Full syncs are counted from after each deletion: one that was under way then writes the whole table anyway.
            var deletedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var fullSyncs = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (runner, table) in agent.Runners.Zip([ServiceTable, PolicyTable]))
            {
                NftKernel.Run(ns.Name, $"delete table {table}");
                deletedAt[runner.Name] = DateTimeOffset.UtcNow;
                fullSyncs[runner.Name] = runner.Status.FullSyncs;
            }

            Assert.False(NftKernel.HasTable(ns.Name, ServiceTable) || NftKernel.HasTable(ns.Name, PolicyTable));

            // Nothing is asked of the agent: only its periodic full sync can bring the tables back.
            var waited = Stopwatch.StartNew();
            var checks = 0;
            while ((agent.Runners.Any(r => r.Status.FullSyncs == fullSyncs[r.Name]) || !NftKernel.HasTable(ns.Name, ServiceTable) || !NftKernel.HasTable(ns.Name, PolicyTable))
                && waited.Elapsed < 5 * interval)
            {
                checks++;
                await Task.Delay(5);
            }

            // When each restoring sync started, from its status read at once (the next full sync is an interval away):
            // at most one interval after the deletion, whatever the machine's load did to how long the sync took. The
            // timer itself may fire late on a loaded machine (1,260 ms once in CI, with the lab tests running beside
            // it): half an interval of slack, still well short of a second interval.
            var started = agent.Runners.ToDictionary(r => r.Name, r => r.Status.LastFullSyncAt!.Value - TimeSpan.FromMilliseconds(r.Status.LastSyncMilliseconds));
            output.WriteLine(string.Join(", ", started.Select(s => $"{s.Key}: full sync started {(s.Value - deletedAt[s.Key]).TotalMilliseconds:F0} ms after the deletion")) + $" ({checks} checks)");
            Assert.All(agent.Runners, r => Assert.True(r.Status.FullSyncs > fullSyncs[r.Name], $"{r.Name}: no full sync in {waited.ElapsedMilliseconds} ms: {r.Status}"));
            Assert.All(started, s => Assert.True(s.Value - deletedAt[s.Key] <= interval * 1.5, $"{s.Key}: the full sync started {(s.Value - deletedAt[s.Key]).TotalMilliseconds:F0} ms after the deletion"));
            Assert.Equal(services, NftKernel.Table(ns.Name, ServiceTable));
            Assert.Equal(policy, NftKernel.Table(ns.Name, PolicyTable));
            Assert.Equal("", agent.Status.LastError);
        });
    }

    [SkippableFact]
    public async Task A_failed_transaction_reports_nfts_message_and_the_retry_repairs_the_table()
    {
        Privileged.Require();
        await WithNamespace(async ns =>
        {
            using var runner = new NodePartRunner("node-1", new ServiceProxyPart(new NodeServiceProxy(ns, "node-1")), new NodePartRunnerOptions { RetryInterval = TimeSpan.FromMilliseconds(100) });
            await runner.SyncAsync(EveryKind);
            NftKernel.Run(ns.Name, $"delete table {ServiceTable}");

            var failed = await runner.SyncAsync(EveryKindCase.Plan(EveryKindCase.WithoutWebB));
            Assert.Equal(1, failed.FailedSyncs);
            Assert.Contains("No such file or directory", failed.LastError, StringComparison.Ordinal);

            var deadline = Stopwatch.StartNew();
            var checks = 0;
            while (runner.Status.LastError is not null && deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                checks++;
                await Task.Delay(50);
            }

            Assert.True(runner.Status.LastError is null, $"still failing after {checks} checks: {runner.Status}");
            Assert.True(runner.Status.LastSyncWasFull);
            Assert.True(NftKernel.HasTable(ns.Name, ServiceTable));
        });
    }

    [SkippableFact]
    public async Task Bursts_of_requests_are_coalesced_and_dispose_deletes_the_table()
    {
        Privileged.Require();
        await WithNamespace(async ns =>
        {
            var runner = new NodePartRunner("node-1", new ServiceProxyPart(new NodeServiceProxy(ns, "node-1")), new NodePartRunnerOptions { MinInterval = TimeSpan.FromMilliseconds(200) });
            try
            {
                await runner.SyncAsync(EveryKind);
                var a = EveryKindCase.Plan(EveryKindCase.WithoutWebB);
                var b = EveryKind;
                long last = 0;
                for (var i = 0; i < 10; i++)
                {
                    last = runner.Request(i % 2 == 0 ? a : b);
                }

                var status = await runner.WaitAsync(last);
                Assert.InRange(status.Syncs, 2, 4);
                Assert.True(status.CoalescedRequests >= 7, $"coalesced {status.CoalescedRequests}");
            }
            finally
            {
                runner.Dispose();
            }

            Assert.False(NftKernel.HasTable(ns.Name, ServiceTable));
        });
    }

    private static async Task WithNamespace(Func<NetworkNamespace, Task> test)
    {
        var ns = NetworkNamespace.CreateMany([$"maille-t{Guid.NewGuid().ToString("N")[..6]}-agent"])[0];
        try
        {
            await test(ns);
        }
        finally
        {
            ns.Dispose();
            NetworkNamespace.Delete(ns.Name);
        }
    }
}
