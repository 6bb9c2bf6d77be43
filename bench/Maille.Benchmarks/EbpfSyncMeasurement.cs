using System.Globalization;
using System.Runtime.Versioning;
using Maille.Dataplane.Linux.Ebpf;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Kube;
using Maille.Model;

namespace Maille.Benchmarks;

/// <summary>
/// <c>ebpf-sync</c>: the eBPF data plane's map syncs against real maps (the built <c>socket_lb.bpf.o</c> and
/// <c>pod_policy.bpf.o</c> loaded with libbpf, the socket programs attached to a cgroup made for the run), each beside
/// the nftables apply of the same plan, in one run:
/// <list type="bullet">
/// <item>a full sync of <c>--services</c> ClusterIP Services × <c>--endpoints</c> (<see cref="SyntheticServicePlan"/>)
/// into fresh socket LB maps, split into planning the writes (pure, <c>SocketLbState.Prepare</c>) and writing them;
/// against nftables' first load (render, then the dormant table and its elements by netlink);</item>
/// <item><c>--changes</c> one-endpoint changes on top (an endpoint added to one Service, then removed again), each
/// through the node's code path (<c>NodeSocketLoadBalancer.Write</c>, <c>ServiceRulesetState</c> + libnftables);</item>
/// <item>a full resync in place (the runner's periodic drift repair);</item>
/// <item><c>--policies</c> NetworkPolicies over <c>--pods</c> pods (<see cref="SyntheticPolicies"/>) loaded into node-1's
/// pod policy maps (<c>NodePodPolicy.Sync</c>), against the nftables enforcer's table for the same plan.</item>
/// </list>
/// Each part is warmed up first on a small plan with objects of its own; the Services part three times over 1,000
/// Services and then a pause, so that tiered compilation has replaced the tier-0 code: the figures are a steady node's.
/// Needs root. The namespace <c>maille-ebpfbench-PID</c> and the cgroup of the same name (under the cgroup v2 root,
/// never the root itself) are removed at the end, whatever happens; the programs and maps go with their descriptors.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class EbpfSyncMeasurement
{
    public static int Run(string[] args)
    {
        var services = MeasurementArguments.Int(args, "--services", 10000);
        var endpoints = MeasurementArguments.Int(args, "--endpoints", 10);
        var changes = MeasurementArguments.Int(args, "--changes", 200);
        var policies = MeasurementArguments.Int(args, "--policies", 1000);
        var pods = MeasurementArguments.Int(args, "--pods", 1000);
        var name = $"maille-ebpfbench-{Environment.ProcessId}";
        var cgroup = LabCgroup.For($"ebpfbench-{Environment.ProcessId}");
        using var scratch = NetworkNamespace.Create(name);
        try
        {
            cgroup.Create();
            Console.WriteLine($"# ebpf-sync: namespace {name}, cgroup {cgroup.Path}; load average at the start {LoadAverage()}");
            Console.WriteLine("| workload | data plane | plan the writes (pure) | write | total | CPU (process) | writes |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
            scratch.RunInside(() =>
            {
                using var context = NftContext.Create();
                // Warm-up: the runtime compiles a method at tier 0 first and optimises it only after 30 calls and a
                // pause (tiered compilation); a long loop in tier-0 code runs several times slower. A few syncs of a
                // smaller table and a pause let the optimised code take over, as on a node agent that has run a while.
                for (var round = 0; round < 3; round++)
                {
                    Services(scratch, cgroup, context, 1000, endpoints, 50, print: false);
                }

                Thread.Sleep(TimeSpan.FromSeconds(1));
                Services(scratch, cgroup, context, services, endpoints, changes, print: true);
                Policies(scratch, context, pods: 100, policies: 50, print: false);
                Policies(scratch, context, pods, policies, print: true);
            });
            Console.WriteLine($"# load average at the end {LoadAverage()}");
        }
        finally
        {
            cgroup.Remove();
            NetworkNamespace.Delete(name);
        }

        return 0;
    }

    private static void Services(NetworkNamespace scratch, LabCgroup cgroup, NftContext context, int services, int endpoints, int changes, bool print)
    {
        var plan = SyntheticServicePlan.Make(services, endpoints);
        using var balancer = new NodeSocketLoadBalancer(scratch, "node-1", cgroup, _ => []);
        var namespaces = new HashSet<ulong> { balancer.NodeCookie };
        var cpu = Cpu();
        var full = Check(balancer.Write(plan, namespaces));
        var fullCpu = Cpu() - cpu;

        var nft = new ServiceRulesetState();
        cpu = Cpu();
        var rendering = Stopwatch();
        var nftFull = nft.Prepare(plan);
        var nftRender = rendering.Elapsed;
        var loading = Stopwatch();
        Check(NftTableLoader.Load(context, nftFull.Table!));
        var nftLoad = loading.Elapsed;
        var nftCpu = Cpu() - cpu;
        nft.Commit(nftFull);

        var (prepares, writes, totals, counts) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var (nftRenders, nftApplies, nftTotals, nftCounts) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var i = 0; i < changes; i++)
        {
            // Pairs: an endpoint is added to a Service, then removed again; the Services are spread over the table.
            var service = (int)((i / 2 * 7919L) % services);
            var changed = SyntheticServicePlan.WithEndpointToggled(plan, service, endpoints, added: i % 2 == 0);
            var sync = Check(balancer.Write(changed, namespaces));
            prepares.Add(sync.PrepareDuration.TotalMilliseconds);
            writes.Add(sync.ApplyDuration.TotalMilliseconds);
            totals.Add((sync.PrepareDuration + sync.ApplyDuration).TotalMilliseconds);
            counts.Add(sync.CommandCount);

            rendering.Restart();
            var change = nft.Prepare(changed);
            var rendered = rendering.Elapsed;
            loading.Restart();
            Check(context.Run(change.Script));
            var applied = loading.Elapsed;
            nft.Commit(change);
            nftRenders.Add(rendered.TotalMilliseconds);
            nftApplies.Add(applied.TotalMilliseconds);
            nftTotals.Add((rendered + applied).TotalMilliseconds);
            nftCounts.Add(change.CommandCount);
            plan = changed;
        }

        cpu = Cpu();
        var resync = Check(balancer.Write(plan, namespaces, full: true));
        var resyncCpu = Cpu() - cpu;
        Check(context.Run($"delete table {ServiceRulesetBuilder.Family} {ServiceRulesetBuilder.Table}"));
        if (!print)
        {
            return;
        }

        var size = string.Create(CultureInfo.InvariantCulture, $"{services:N0} Services × {endpoints}");
        Row($"full sync, {size}", "ebpf (socket LB maps)", full.PrepareDuration, full.ApplyDuration, full.CommandCount, fullCpu);
        Row($"full sync, {size}", "nftables (render; dormant table + netlink elements)", nftRender, nftLoad, nftFull.CommandCount, nftCpu);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| one endpoint added or removed, {size} loaded ({changes} changes: median / p90 / p99) | ebpf (socket LB maps) | {Percentiles(prepares)} | {Percentiles(writes)} | {Percentiles(totals)} | | {P(counts, 0.5):F0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| one endpoint added or removed, {size} loaded ({changes} changes: median / p90 / p99) | nftables (render; libnftables) | {Percentiles(nftRenders)} | {Percentiles(nftApplies)} | {Percentiles(nftTotals)} | | {P(nftCounts, 0.5):F0} |"));
        Row($"full resync in place (drift repair), {size}", "ebpf (socket LB maps)", resync.PrepareDuration, resync.ApplyDuration, resync.CommandCount, resyncCpu);
    }

    private static void Policies(NetworkNamespace scratch, NftContext context, int pods, int policies, bool print)
    {
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("policies.yaml", SyntheticPolicies.Yaml(namespaces: 20, pods: pods, policies: policies))]);
        var planned = ClusterPlanner.Plan(manifests, ClusterConfig.Default with { NodeCount = 3 }, diagnostics);
        var cluster = planned.Cluster ?? throw new InvalidOperationException(string.Join("\n", planned.Errors.Take(5)));
        var planning = Stopwatch();
        var plan = NodePolicyPlanner.Plan(cluster, "node-1");
        var planTime = planning.Elapsed;

        using var policy = new NodePodPolicy(scratch, "node-1");
        var cpu = Cpu();
        var sync = policy.Sync(plan);
        var syncCpu = Cpu() - cpu;
        if (sync.Error is { } error)
        {
            throw new InvalidOperationException("pod policy maps: " + error);
        }

        var counts = policy.MapCounts();

        var nft = new PolicyRulesetState();
        cpu = Cpu();
        var rendering = Stopwatch();
        var full = nft.Prepare(PolicyRulesetBuilder.Build(plan, cache: new PolicyFoldCache()));
        var rendered = rendering.Elapsed;
        var applying = Stopwatch();
        Check(context.Run(full.Script));
        var applied = applying.Elapsed;
        var nftCpu = Cpu() - cpu;
        nft.Commit(full);
        Check(context.Run($"delete table {PolicyRulesetBuilder.Family} {PolicyRulesetBuilder.Table}"));
        if (!print)
        {
            return;
        }

        var workload = string.Create(CultureInfo.InvariantCulture,
            $"{policies:N0} NetworkPolicies over {pods:N0} pods, node-1 of 3 ({plan.Pods.Count} pods, {plan.Chains.Count} chains; node plan {planTime.TotalMilliseconds:F0} ms, shared)");
        Row(workload, "ebpf (pod policy maps: " + string.Join(", ", counts.Where(c => c.Key != "flows").Select(c => $"{c.Key} {c.Value:N0}")) + ")", sync.PrepareDuration, sync.ApplyDuration, sync.CommandCount, syncCpu);
        Row(workload, string.Create(CultureInfo.InvariantCulture, $"nftables (render; libnftables; {full.Desired.RuleCount:N0} rules, {full.Desired.ElementCount:N0} elements)"), rendered, applied, full.CommandCount, nftCpu);
    }

    private static void Row(string workload, string dataplane, TimeSpan prepare, TimeSpan write, int count, TimeSpan cpu) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {workload} | {dataplane} | {prepare.TotalMilliseconds:F1} ms | {write.TotalMilliseconds:F1} ms | {(prepare + write).TotalMilliseconds:F1} ms | {cpu.TotalMilliseconds:F0} ms | {count:N0} |"));

    /// <summary>The CPU time of the whole process (user and kernel, every thread: the GC's too), which a loaded machine does not stretch as it stretches the wall clock.</summary>
    private static TimeSpan Cpu() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

    private static string Percentiles(List<double> values) =>
        string.Create(CultureInfo.InvariantCulture, $"{P(values, 0.5):F3} / {P(values, 0.9):F3} / {P(values, 0.99):F3} ms");

    private static double P(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }

    private static System.Diagnostics.Stopwatch Stopwatch() => System.Diagnostics.Stopwatch.StartNew();

    private static string LoadAverage() => string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static NodeSocketLoadBalancerSync Check(NodeSocketLoadBalancerSync sync) =>
        sync.Error is null ? sync : throw new InvalidOperationException("socket LB maps: " + sync.Error);

    private static void Check(NftResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("nft: " + result.Error);
        }
    }
}
