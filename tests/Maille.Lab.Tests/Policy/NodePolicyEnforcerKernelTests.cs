using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Lab.NodeAgents;
using Maille.TestKit;

namespace Maille.Lab.Tests.Policy;

// Bare namespaces (no lab network): what the kernel holds after the enforcer's syncs. Plans are the playground's
// (examples/netpol-playground) with policies, as node-1 sees them.
public sealed class NodePolicyEnforcerKernelTests
{
    private static readonly string Pods = Fixtures.PlaygroundPods;

    private static readonly string Scenarios = Path.Combine(Cluster.RepositoryRoot, "examples", "netpol-playground", "scenarios");

    /// <summary><c>FoldChainsAbove</c> values: the default (the playground's chains are short, so listed), and 0 (every chain folded).</summary>
    public const int Default = PolicyRulesetBuilder.DefaultFoldAbove;
    public const int Folded = 0;

    [SkippableTheory]
    [InlineData(Default)]
    [InlineData(Folded)]
    public void APartialSyncLeavesTheKernelTableAFullSyncWouldWrite(int foldAbove)
    {
        Privileged.Require();
        var options = new NodePolicyEnforcerOptions { FoldChainsAbove = foldAbove };
        WithNamespaces(2, namespaces =>
        {
            using var partial = new NodePolicyEnforcer(namespaces[0], "node-1", options);
            var steps = new[] { "deny-all-ingress", "peers-and", "named-port", "ipblock-except", "egress-to-y-only", "deny-all-egress" };

            // Scenarios one after another, then pod b of z relabelled away and back (a merged range split and joined).
            var fromB = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: from-b, namespace: x}\nspec:\n  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {pod: b}}}]}]\n";
            var zbRelabelled = Cluster.Valid(Pods.Replace("  name: b\n  namespace: z\n  labels:\n    pod: b", "  name: b\n  namespace: z\n  labels:\n    pod: q", StringComparison.Ordinal) + "\n---\n" + fromB);
            var clusters = steps.Select(step => (step, Plan(File.ReadAllText(Path.Combine(Scenarios, step + ".yaml")) + "\n---\n" + File.ReadAllText(Path.Combine(Scenarios, "peers-or.yaml")))))
                .Concat([("from-b", Plan(fromB)), ("z/b relabelled", zbRelabelled), ("z/b back", Plan(fromB))]);

            Assert.True(partial.Sync(Plan(""), full: false).Full);
            foreach (var (step, cluster) in clusters)
            {
                var sync = partial.Sync(cluster, full: false);
                using var reference = new NodePolicyEnforcer(namespaces[1], "node-1", options);
                Assert.True(reference.Sync(cluster, full: false).Succeeded, step);

                Assert.True(sync.Succeeded, sync.Error);
                Assert.False(sync.Full, step);
                Assert.Equal(KernelTable(namespaces[1]), KernelTable(namespaces[0]));
            }
        });
    }

    [SkippableFact]
    public void AFailedTransactionReportsNftsMessage_AndTheNextSyncRewritesTheTable()
    {
        Privileged.Require();
        WithNamespaces(1, namespaces =>
        {
            using var enforcer = new NodePolicyEnforcer(namespaces[0], "node-1");
            enforcer.Sync(Plan(""), full: false);
            Nft(namespaces[0], "delete table ip maille-policy");

            var failure = enforcer.Sync(Plan(File.ReadAllText(Path.Combine(Scenarios, "deny-all-ingress.yaml"))), full: false);
            Assert.Contains("No such file or directory", failure.Error, StringComparison.Ordinal);
            Assert.False(failure.Succeeded);

            var repaired = enforcer.Sync(Plan(File.ReadAllText(Path.Combine(Scenarios, "deny-all-ingress.yaml"))), full: false);
            Assert.True(repaired.Full);
            Assert.Null(repaired.Error);
            Assert.Contains("jump ingress-", Nft(namespaces[0], "list map ip maille-policy ingress-pods"), StringComparison.Ordinal);
        });
    }

    [SkippableFact]
    public void NothingChanged_NoCommand_AndDisposeDeletesTheTable()
    {
        Privileged.Require();
        WithNamespaces(1, namespaces =>
        {
            var enforcer = new NodePolicyEnforcer(namespaces[0], "node-1");
            try
            {
                var cluster = Plan(File.ReadAllText(Path.Combine(Scenarios, "peers-and.yaml")));
                var first = enforcer.Sync(cluster, full: false);
                var second = enforcer.Sync(Plan(File.ReadAllText(Path.Combine(Scenarios, "peers-and.yaml"))), full: false);
                Assert.Equal(0, second.CommandCount);
                Assert.Equal([true, true], new[] { first.Succeeded, second.Succeeded });
                Assert.Contains("table ip maille-policy", Nft(namespaces[0], "list tables"), StringComparison.Ordinal);
                Assert.Equal("0", Sysctl(namespaces[0]));   // LiftIcmpRateLimit: every rejected connection gets its ICMP error
            }
            finally
            {
                enforcer.Dispose();
            }

            Assert.DoesNotContain("maille-policy", Nft(namespaces[0], "list tables"), StringComparison.Ordinal);
        });
    }

    private static ClusterState Plan(string policies) => Cluster.Valid(Pods + "\n---\n" + policies);

    /// <summary>The table as the kernel lists it, counters' values cut and lines sorted (elements come in hash order).</summary>
    private static string KernelTable(NetworkNamespace ns) => NftKernel.Table(ns.Name, "ip maille-policy");

    private static string Sysctl(NetworkNamespace ns) => ns.RunInside(() => Dataplane.Linux.Netns.Sysctl.Read("net/ipv4/icmp_ratelimit"));

    private static string Nft(NetworkNamespace ns, string command) => NftKernel.Run(ns.Name, command);

    private static void WithNamespaces(int count, Action<IReadOnlyList<NetworkNamespace>> test)
    {
        var names = Enumerable.Range(0, count).Select(i => $"maille-t{Guid.NewGuid().ToString("N")[..6]}-pol{i}").ToList();
        var namespaces = NetworkNamespace.CreateMany(names);
        try
        {
            test(namespaces);
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
