using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.Dataplane.Nftables;

namespace Maille.Benchmarks;

/// <summary>
/// <c>svc-apply</c>: render and apply the Service table in a scratch network namespace through in-process libnftables,
/// as a node's proxy does. For each size: the full sync, then <c>changes</c> one-Service partial syncs (each a rollout
/// step of a different Service), reporting the median and the 90th percentile. Needs root; the namespace is
/// <c>maille-svcbench-PID</c> and is deleted at the end, whatever happens.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ServiceApplyMeasurement
{
    public static int Run(string[] args)
    {
        var sizes = MeasurementArguments.Text(args, "--services", "100,10000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var endpoints = MeasurementArguments.Int(args, "--endpoints", 10);
        var changes = MeasurementArguments.Int(args, "--changes", 200);
        var name = $"maille-svcbench-{Environment.ProcessId}";
        using var scratch = NetworkNamespace.Create(name);
        try
        {
            scratch.RunInside(() =>
            {
                using var context = NftContext.Create();
                Console.WriteLine($"# svc-apply: {endpoints} endpoints per Service, {changes} one-Service changes per size, libnftables in-process, namespace {name}");
                Console.WriteLine("| Services | map elements | full sync: render (first in process / again) | full sync: load (dormant table + netlink elements) | full sync: render + load | one change: render (median / p90) | one change: apply (median / p90) | commands per change | full resync in place: render + apply (text) |");
                Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                foreach (var services in sizes)
                {
                    Measure(context, services, endpoints, changes);
                }
            });
        }
        finally
        {
            NetworkNamespace.Delete(name);
        }

        return 0;
    }

    private static void Measure(NftContext context, int services, int endpoints, int changes)
    {
        var plan = SyntheticServicePlan.Make(services, endpoints);
        var watch = Stopwatch.StartNew();
        new ServiceRulesetState().Prepare(plan);
        var coldRender = watch.Elapsed;
        var state = new ServiceRulesetState();
        watch.Restart();
        var full = state.Prepare(plan);
        var fullRender = watch.Elapsed;
        watch.Restart();
        Check(NftTableLoader.Load(context, full.Table!));
        var fullApply = watch.Elapsed;
        state.Commit(full);

        var renders = new List<double>();
        var applies = new List<double>();
        var commands = 0;
        for (var i = 0; i < changes; i++)
        {
            var service = (int)((i * 7919L) % services);
            plan = SyntheticServicePlan.WithOneChange(plan, service, generation: i + 1);
            watch.Restart();
            var change = state.Prepare(plan);
            renders.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            Check(context.Run(change.Script));
            applies.Add(watch.Elapsed.TotalMilliseconds);
            state.Commit(change);
            commands = change.CommandCount;
        }

        // A full resync over the table in place (after a failed transaction): one text transaction, as before.
        watch.Restart();
        var resync = state.Prepare(plan, full: true);
        var resyncScript = resync.Script;
        var resyncRender = watch.Elapsed;
        watch.Restart();
        Check(context.Run(resyncScript));
        var resyncApply = watch.Elapsed;
        state.Commit(resync);

        Check(context.Run($"delete table {ServiceRulesetBuilder.Family} {ServiceRulesetBuilder.Table}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {services:N0} | {state.ElementCount:N0} | {coldRender.TotalMilliseconds:F0} / {fullRender.TotalMilliseconds:F0} ms | {fullApply.TotalMilliseconds:F0} ms | {(fullRender + fullApply).TotalMilliseconds:F0} ms | {Percentile(renders, 0.5):F3} / {Percentile(renders, 0.9):F3} ms | {Percentile(applies, 0.5):F3} / {Percentile(applies, 0.9):F3} ms | {commands} | {resyncRender.TotalMilliseconds:F0} + {resyncApply.TotalMilliseconds:F0} ms |"));
    }

    private static double Percentile(List<double> values, double p)
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
