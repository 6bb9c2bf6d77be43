using System.Diagnostics;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Engine.ServiceProxy;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests.Nftables;

// Kernel checks of the proxy alone, each in its own scratch namespace (maille-tXXXXXX-svc, no interfaces, no traffic).
public sealed class NodeServiceProxyTests
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

            var first = await Task.Run(() => partial.Sync(Plan(EveryKindYaml)));
            var second = await Task.Run(() => partial.Sync(Plan(WithoutWebB)));
            var reference = await Task.Run(() => full.Sync(Plan(WithoutWebB)));

            Assert.True(first.Full, $"{first}\n{second}");
            Assert.False(second.Full, $"{first}\n{second}");
            Assert.All(new[] { first, second, reference }, s => Assert.Null(s.Error));
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
    public async Task Thirty_thousand_one_element_changes_in_one_batch_are_applied_not_refused_for_want_of_buffer()
    {
        Privileged.Require();
        await WithNamespaces(1, async namespaces =>
        {
            // A pod backing 10,000 Services turns unready: one element change per Service map, each its own netlink
            // message. An ack for each overflowed the socket's receive buffer (ENOBUFS) on the 10,000-Service lab.
            var set = new NftSet("addresses", "type ipv4_addr", EquatableArray<NftElement>.Empty);
            var operations = Enumerable.Range(0, 30_000)
                .Select(i => new NftElementOperation(true, set.Name, [new NftElement($"198.18.{i / 256}.{i % 256}")]))
                .ToList();
            NftResult created = default!;
            NftResult? applied = null;
            await Task.Run(() => namespaces[0].RunInside(() =>
            {
                using var context = NftContext.Create();
                created = context.Run($"add table ip maille-svc\nadd set ip maille-svc {set.Name} {{ {set.Declaration}; }}");
                applied = NftTableLoader.TryApplyElements("ip", "maille-svc", operations, name => name == set.Name ? set : null);
            }));

            Assert.True(created.Succeeded, created.Error);
            Assert.NotNull(applied);
            Assert.True(applied.Succeeded, applied.Error);
            var table = KernelTable(namespaces[0]);
            Assert.Contains("198.18.0.0", table, StringComparison.Ordinal);
            Assert.Contains("198.18.117.47", table, StringComparison.Ordinal);
            Assert.Equal(30_000, table.Split('\n').Count(line => line.StartsWith("198.18.", StringComparison.Ordinal)));
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

    // Retrying a failed transaction and coalescing bursts are the node agent's runner's: NodeAgentKernelTests.
    [SkippableFact]
    public async Task A_failed_transaction_reports_nfts_message_and_the_next_sync_rewrites_the_table()
    {
        Privileged.Require();
        await WithNamespaces(1, async namespaces =>
        {
            var proxy = new NodeServiceProxy(namespaces[0], "node-1");
            try
            {
                await Task.Run(() => proxy.Sync(Plan(EveryKindYaml)));
                Nft(namespaces[0], "delete table ip maille-svc");

                var failed = await Task.Run(() => proxy.Sync(Plan(WithoutWebB)));
                Assert.Contains("No such file or directory", failed.Error, StringComparison.Ordinal);
                Assert.Null(failed.Plan);

                var repaired = await Task.Run(() => proxy.Sync(Plan(WithoutWebB)));
                Assert.Null(repaired.Error);
                Assert.True(repaired.Full);
                Assert.Contains("table ip maille-svc", Nft(namespaces[0], "list tables"), StringComparison.Ordinal);
            }
            finally
            {
                proxy.Dispose();
            }

            Assert.DoesNotContain("maille-svc", Nft(namespaces[0], "list tables"), StringComparison.Ordinal);
        });
    }

    /// <summary>The table as the kernel lists it, with elements and lines sorted (their order is the kernel's hash order).</summary>
    internal static string KernelTable(NetworkNamespace ns, string table = "ip maille-svc")
    {
        var text = Nft(ns, $"list table {table}");
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
