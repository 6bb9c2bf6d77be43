using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Kube;
using Maille.Model;

namespace Maille.Benchmarks;

/// <summary>
/// <c>policy-apply</c>: one node's NetworkPolicy table for <see cref="SyntheticPolicies"/> (1,000 policies over 1,000
/// pods in 20 namespaces, 3 nodes by default), planned, rendered and applied through in-process libnftables in a
/// scratch network namespace, as a node's <c>NodePolicyEnforcer</c> does (with its cache of folded maps): the full sync, then <c>changes</c> partial
/// syncs of two kinds (a pod relabelled, a policy's port changed), each timed from the new cluster state to the
/// kernel's answer (plan + render + apply), median and 90th percentile. <c>--fold-above N</c> folds chains of more
/// than N compiled rules (default as the enforcer). Needs root; the namespace is
/// <c>maille-polbench-PID</c> and is deleted at the end, whatever happens.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class PolicyApplyMeasurement
{
    public static int Run(string[] args)
    {
        var pods = MeasurementArguments.Int(args, "--pods", 1000);
        var policies = MeasurementArguments.Int(args, "--policies", 1000);
        var changes = MeasurementArguments.Int(args, "--changes", 50);
        var foldAbove = MeasurementArguments.Int(args, "--fold-above", PolicyRulesetBuilder.DefaultFoldAbove);
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("policies.yaml", SyntheticPolicies.Yaml(namespaces: 20, pods: pods, policies: policies))]);
        var config = ClusterConfig.Default with { NodeCount = 3 };
        var planned = ClusterPlanner.Plan(manifests, config, diagnostics);
        var cluster = planned.Cluster ?? throw new InvalidOperationException(string.Join("\n", planned.Errors.Take(5)));
        var name = $"maille-polbench-{Environment.ProcessId}";
        using var scratch = NetworkNamespace.Create(name);
        try
        {
            scratch.RunInside(() =>
            {
                using var context = NftContext.Create();
                var state = new PolicyRulesetState();
                var watch = Stopwatch.StartNew();
                var plan = NodePolicyPlanner.Plan(cluster, "node-1");
                var planTime = watch.Elapsed;
                watch.Restart();
                var folds = new PolicyFoldCache();
                var full = state.Prepare(PolicyRulesetBuilder.Build(plan, foldAbove: foldAbove, cache: folds));
                var renderTime = watch.Elapsed;
                watch.Restart();
                Check(context.Run(full.Script));
                var applyTime = watch.Elapsed;
                state.Commit(full);
                Console.WriteLine($"# policy-apply: {policies:N0} policies over {pods:N0} pods, node-1 of 3; chains of more than {foldAbove} rules folded; libnftables in-process, namespace {name}");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"# node-1 table: {plan.Pods.Count} pods ({plan.Pods.Count(p => p.IngressChain is not null)} ingress-isolated), {plan.Chains.Count} chains ({plan.Chains.Count(c => c.Rules.Count > foldAbove)} folded), {full.Desired.RuleCount:N0} rules, {full.Desired.Sets.Count} sets, {full.Desired.ElementCount:N0} elements, {full.Desired.Counters.Count:N0} counters, {full.CommandCount} commands"));
                Console.WriteLine("| step | plan | render | apply | total | commands |");
                Console.WriteLine("|---|---:|---:|---:|---:|---:|");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| full sync | {planTime.TotalMilliseconds:F0} ms | {renderTime.TotalMilliseconds:F0} ms | {applyTime.TotalMilliseconds:F0} ms | {(planTime + renderTime + applyTime).TotalMilliseconds:F0} ms | {full.CommandCount} |"));
                Partial(context, state, foldAbove, folds, "a pod relabelled (median / p90)", changes, i => Relabelled(cluster, manifests, config, i));
                Partial(context, state, foldAbove, folds, "a policy's port changed (median / p90)", changes, i => PortChanged(cluster, manifests, config, i));
                Check(context.Run($"delete table {PolicyRulesetBuilder.Family} {PolicyRulesetBuilder.Table}"));
            });
        }
        finally
        {
            NetworkNamespace.Delete(name);
        }

        return 0;
    }

    private static void Partial(NftContext context, PolicyRulesetState state, int foldAbove, PolicyFoldCache folds, string label, int changes, Func<int, ClusterState> variant)
    {
        var (plans, renders, applies, totals) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var commands = new List<double>();
        for (var i = 0; i < changes; i++)
        {
            var cluster = variant(i);
            var watch = Stopwatch.StartNew();
            var plan = NodePolicyPlanner.Plan(cluster, "node-1");
            var planned = watch.Elapsed;
            watch.Restart();
            var change = state.Prepare(PolicyRulesetBuilder.Build(plan, foldAbove: foldAbove, cache: folds));
            var rendered = watch.Elapsed;
            watch.Restart();
            if (context.RunInOrder(change.Steps) is { } refused)
            {
                Check(refused.Result);
            }

            var applied = watch.Elapsed;
            state.Commit(change);
            plans.Add(planned.TotalMilliseconds);
            renders.Add(rendered.TotalMilliseconds);
            applies.Add(applied.TotalMilliseconds);
            totals.Add((planned + rendered + applied).TotalMilliseconds);
            commands.Add(change.CommandCount);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {P(plans, 0.5):F0} / {P(plans, 0.9):F0} ms | {P(renders, 0.5):F1} / {P(renders, 0.9):F1} ms | {P(applies, 0.5):F1} / {P(applies, 0.9):F1} ms | {P(totals, 0.5):F0} / {P(totals, 0.9):F0} ms | {P(commands, 0.5):F0} |"));
    }

    /// <summary>The cluster with pod number <paramref name="i"/> (spread over all pods) relabelled to another app.</summary>
    private static ClusterState Relabelled(ClusterState cluster, ManifestSet manifests, ClusterConfig config, int i)
    {
        var index = (int)((i * 7919L) % cluster.Pods.Count);
        var pods = cluster.Pods.Select((p, n) => n != index ? p : p with { Meta = p.Meta with { Labels = p.Labels.With("app", p.Labels.Get("app") == "web" ? "api" : "web") } });
        return new ClusterState(config, cluster.Nodes, cluster.Namespaces, pods, cluster.Services, cluster.EndpointSlices, manifests, cluster.Warnings);
    }

    /// <summary>The cluster with policy number <paramref name="i"/>'s first ingress rule opened on one more port.</summary>
    private static ClusterState PortChanged(ClusterState cluster, ManifestSet manifests, ClusterConfig config, int i)
    {
        var index = (int)((i * 7919L) % manifests.NetworkPolicies.Count);
        var policies = manifests.NetworkPolicies.Select((p, n) => n != index || p.Ingress.IsEmpty ? p : p with
        {
            Ingress = new([p.Ingress[0] with { Ports = new([.. p.Ingress[0].Ports, new NetworkPolicyPort(Protocol.TCP, PortRef.FromNumber(9000 + i), null)]) }, .. p.Ingress.Skip(1)]),
        });
        return new ClusterState(config, cluster.Nodes, cluster.Namespaces, cluster.Pods, cluster.Services, cluster.EndpointSlices, manifests with { NetworkPolicies = new(policies) }, cluster.Warnings);
    }

    private static double P(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }

    private static void Check(NftResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("nft: " + result.Error);
        }
    }
}
