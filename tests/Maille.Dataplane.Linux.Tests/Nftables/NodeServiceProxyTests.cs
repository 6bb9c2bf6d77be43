using System.Diagnostics;
using System.Net;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Engine.ServiceProxy;
using Maille.Model;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Dataplane.Linux.Tests.Nftables;

// Kernel checks of the proxy alone, each in its own scratch namespace (maille-tXXXXXX-svc, no interfaces, no traffic).
public sealed class NodeServiceProxyTests(ITestOutputHelper output)
{
    private static readonly string EveryKindYaml = EveryKindCase.Yaml;

    private static readonly string WithoutWebB = EveryKindCase.WithoutWebB;

    private static ClusterState Plan(string yaml) => EveryKindCase.Plan(yaml);

    [SkippableFact]
    public async Task Partial_syncs_leave_the_kernel_with_the_table_a_full_sync_makes()
    {
        Privileged.Require();
        await WithNamespaces(2, async namespaces =>
        {
            using var partial = new NodeServiceProxy(namespaces[0], "node-1");
            using var full = new NodeServiceProxy(namespaces[1], "node-1");

            var first = await partial.SyncAsync(Plan(EveryKindYaml));
            var second = await partial.SyncAsync(Plan(WithoutWebB));
            var reference = await full.SyncAsync(Plan(WithoutWebB));

            Assert.True(first.LastSyncWasFull, $"{first}\n{second}");
            Assert.False(second.LastSyncWasFull, $"{first}\n{second}");
            Assert.All(new[] { first, second, reference }, s => Assert.Null(s.LastError));
            Assert.Equal(KernelTable(namespaces[1]), KernelTable(namespaces[0]));
            Assert.Equal(reference.ElementCount, second.ElementCount);
            Assert.Equal(reference.RuleCount, second.RuleCount);
        });
    }

    [SkippableFact]
    public async Task A_table_loaded_dormant_with_netlink_elements_is_the_table_its_text_makes()
    {
        Privileged.Require();
        await WithNamespaces(2, async namespaces =>
        {
            // Every kind of set and map, and 2,000 more ports, so the elements span many netlink messages.
            var plan = EveryKindCase.WithBulkPorts(ServiceProxyPlanner.Plan(Plan(EveryKindYaml), "node-1"), 2000);
            var change = new ServiceRulesetState().Prepare(plan);
            Assert.True(change.Full);

            NftResult loaded = default!, parsed = default!;
            await Task.Run(() => namespaces[0].RunInside(() =>
            {
                using var context = NftContext.Create();
                Assert.False(NftTableLoader.Exists(context, "ip", "maille-svc"));
                loaded = NftTableLoader.Load(context, change.Table!);
                Assert.True(NftTableLoader.Exists(context, "ip", "maille-svc"));
            }));
            await Task.Run(() => namespaces[1].RunInside(() =>
            {
                using var context = NftContext.Create();
                parsed = context.Run(change.Script);
            }));

            Assert.True(loaded.Succeeded, loaded.Error);
            Assert.True(parsed.Succeeded, parsed.Error);
            var table = KernelTable(namespaces[0]);
            Assert.DoesNotContain("dormant", table, StringComparison.Ordinal);
            Assert.Contains("198.19.207.250 . tcp . 80 . 1 : 198.19.", table, StringComparison.Ordinal);
            Assert.Equal(KernelTable(namespaces[1]), table);
        });
    }

    [SkippableFact]
    public async Task A_large_partial_sync_applied_in_steps_leaves_the_table_a_full_sync_makes()
    {
        Privileged.Require();
        await WithNamespaces(2, async namespaces =>
        {
            // 2,000 ports go from five endpoints to four: a new shared chain and map (internal-4) come first, then 12,000
            // element changes go by netlink (8,000 endpoints, 2,000 service-ips values changed), then internal-5 and
            // its map, which nothing uses any more, go.
            var plan = EveryKindCase.WithEndpoints(EveryKindCase.WithBulkPorts(ServiceProxyPlanner.Plan(Plan(EveryKindYaml), "node-1"), 2000), 5);
            var shrunk = EveryKindCase.WithEndpoints(plan, 4);
            var state = new ServiceRulesetState();
            var full = state.Prepare(plan);
            NftResult loaded = default!, partial = default!, reference = default!;
            ServiceRulesetChange change = default!;
            await Task.Run(() => namespaces[0].RunInside(() =>
            {
                using var context = NftContext.Create();
                loaded = NftTableLoader.Load(context, full.Table!);
                state.Commit(full);
                change = state.Prepare(shrunk);
                partial = NftTableLoader.TryApplyStaged(context, "ip", "maille-svc", change.Staged!, ServiceRulesetBuilder.DeclaredSet)
                    ?? new NftResult(false, "", "no netlink layout");
            }));
            await Task.Run(() => namespaces[1].RunInside(() =>
            {
                using var context = NftContext.Create();
                reference = NftTableLoader.Load(context, new ServiceRulesetState().Prepare(shrunk).Table!);
            }));

            Assert.True(loaded.Succeeded && reference.Succeeded, loaded.Error + reference.Error);
            Assert.False(change.Full);
            Assert.True(change.Staged!.ElementCount >= 12000, $"{change.Staged.Elements.Count} operations");
            Assert.Contains("add chain ip maille-svc internal-4", change.Staged.Before, StringComparison.Ordinal);
            Assert.Contains("delete chain ip maille-svc internal-5", change.Staged.After, StringComparison.Ordinal);
            Assert.True(partial.Succeeded, partial.Error);
            Assert.Equal(KernelTable(namespaces[1]), KernelTable(namespaces[0]));
        });
    }

    [SkippableFact]
    public async Task A_netlink_load_the_kernel_refuses_leaves_no_table_and_names_the_element()
    {
        Privileged.Require();
        await WithNamespaces(1, async namespaces =>
        {
            var table = new NftRuleset("ip", "maille-svc",
                new([new NftSet("service-ips", "type ipv4_addr . inet_proto . inet_service : verdict", new([new NftElement("198.18.128.1 . tcp . 80", Verdict: NftVerdict.Goto("no-such-chain"))]))]),
                EquatableArray<NftChain>.Empty);
            NftResult result = default!;
            var exists = true;
            await Task.Run(() => namespaces[0].RunInside(() =>
            {
                using var context = NftContext.Create();
                result = NftTableLoader.Load(context, table);
                exists = NftTableLoader.Exists(context, "ip", "maille-svc");
            }));

            Assert.False(result.Succeeded);
            Assert.Contains("add element maille-svc service-ips { 198.18.128.1 . tcp . 80 : goto no-such-chain", result.Error, StringComparison.Ordinal);
            Assert.False(exists);
        });
    }

    [SkippableFact]
    public async Task A_failed_transaction_reports_nfts_message_and_a_full_resync_repairs_the_table()
    {
        Privileged.Require();
        await WithNamespaces(1, async namespaces =>
        {
            using var proxy = new NodeServiceProxy(namespaces[0], "node-1", new NodeServiceProxyOptions { RetryInterval = TimeSpan.FromMilliseconds(100) });
            await proxy.SyncAsync(Plan(EveryKindYaml));
            Nft(namespaces[0], "delete table ip maille-svc");

            var failed = await proxy.SyncAsync(Plan(WithoutWebB));
            Assert.Equal(1, failed.FailedSyncCount);
            Assert.Contains("No such file or directory", failed.LastError, StringComparison.Ordinal);

            var repaired = Poll.Until("the proxy's retry repairs the table", () => proxy.Status.LastError is null, output, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));

            output.WriteLine(repaired.ToString());
            Assert.Null(proxy.Status.LastError);
            Assert.True(proxy.Status.LastSyncWasFull);
            Assert.Contains("table ip maille-svc", Nft(namespaces[0], "list tables"), StringComparison.Ordinal);
        });
    }

    [SkippableFact]
    public async Task Bursts_of_requests_are_coalesced_and_dispose_deletes_the_table()
    {
        Privileged.Require();
        await WithNamespaces(1, async namespaces =>
        {
            var proxy = new NodeServiceProxy(namespaces[0], "node-1", new NodeServiceProxyOptions { MinSyncInterval = TimeSpan.FromMilliseconds(200) });
            try
            {
                await proxy.SyncAsync(Plan(EveryKindYaml));
                var a = Plan(WithoutWebB);
                var b = Plan(EveryKindYaml);
                long last = 0;
                for (var i = 0; i < 10; i++)
                {
                    last = proxy.Sync(i % 2 == 0 ? a : b);
                }

                var status = await proxy.WaitAsync(last);
                Assert.InRange(status.SyncCount, 2, 4);
                Assert.True(status.CoalescedRequestCount >= 7, $"coalesced {status.CoalescedRequestCount}");
            }
            finally
            {
                proxy.Dispose();
            }

            Assert.DoesNotContain("maille-svc", Nft(namespaces[0], "list tables"), StringComparison.Ordinal);
        });
    }

    /// <summary>The table as the kernel lists it, with elements and lines sorted (their order is the kernel's hash order).</summary>
    private static string KernelTable(NetworkNamespace ns)
    {
        var text = Nft(ns, "list table ip maille-svc");
        var parts = text.Split(['\n', ',', '{', '}'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join("\n", parts.Where(p => p.Length > 0).Order(StringComparer.Ordinal));
    }

    private static string Nft(NetworkNamespace ns, string command)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "netns", "exec", ns.Name, "nft" }.Concat(command.Split(' ')))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    private static async Task WithNamespaces(int count, Func<IReadOnlyList<NetworkNamespace>, Task> test)
    {
        var names = Enumerable.Range(0, count).Select(i => $"maille-{TestNames.NewLab()}-svc{i}").ToList();
        var namespaces = NetworkNamespace.CreateMany(names);
        try
        {
            await test(namespaces);
        }
        finally
        {
            foreach (var ns in namespaces)
            {
                ns.Dispose();
                NetworkNamespace.Delete(ns.Name);
            }
        }
    }
}
