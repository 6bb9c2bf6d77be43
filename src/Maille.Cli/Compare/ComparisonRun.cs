using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using Maille.Cli.Lab;
using Maille.Lab.Labs;

namespace Maille.Cli.Compare;

/// <summary>
/// One run of <c>maille compare</c>: every lab up with the same workload, then each measure taken in every lab in
/// turn (the order reversed every other round, so that neither a warming nor a cooling machine favours one), the
/// large changes applied one lab at a time (their timing must not share the CPUs), and every lab down at the end.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ComparisonRun
{
    private static readonly TimeSpan UpWait = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<(string Mode, string Dataplane, string Lab)> combinations, ComparisonSettings settings, string output, string? chartPath, CancellationToken cancellationToken)
    {
        // Progress, apt-get and up's own lines go to stderr: stdout is the table (or JSON) alone.
        var progress = new CliContext(context.Stdin, context.Stderr, context.Stderr);
        if (!LabCommon.HasLabPackages(context, LabNamespaces.CanLoadNftables) || !DemoPackages.ForCompare.Ensure(progress))
        {
            return 1;
        }

        foreach (var (_, _, lab) in combinations)
        {
            if (new LabState(lab).DaemonAlive())
            {
                context.Stderr.WriteLine($"error: lab {lab} is already up; `maille down --lab {lab}` first, or choose another --lab-prefix");
                return 1;
            }
        }

        var machine = ComparisonMachine.Now();
        var labs = new List<ComparisonLab>();
        var directory = Directory.CreateTempSubdirectory("maille-compare-");
        var clock = Stopwatch.StartNew();
        var failed = false;
        try
        {
            var manifests = Path.Combine(directory.FullName, "workload.yaml");
            var config = Path.Combine(directory.FullName, "config.yaml");
            await File.WriteAllTextAsync(manifests, ComparisonWorkload.Initial(), cancellationToken);
            await File.WriteAllTextAsync(config, ComparisonWorkload.ClusterConfig(), cancellationToken);
            foreach (var (mode, dataplane, lab) in combinations)
            {
                var comparison = new ComparisonLab(lab, mode, dataplane);
                labs.Add(comparison);
                if (UpCommand.Up(progress, lab, [manifests], config, mode, UpWait, out _, printHints: false, dataplane: dataplane, rememberKubeconfig: false) != 0)
                {
                    throw new IOException($"lab {lab} did not come up (its reasons are above)");
                }

                await comparison.ReadAddressesAsync(cancellationToken);
                comparison.StartIperfServer();
            }

            await MeasureAsync(progress, labs, settings, cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or HttpRequestException or System.Net.Sockets.SocketException)
        {
            context.Stderr.WriteLine($"error: {e.Message}");
            failed = true;
        }
        finally
        {
            foreach (var lab in labs)
            {
                lab.Dispose();
                var removed = LabTeardown.TakeDown(lab.Name);
                progress.Stdout.WriteLine($"compare: lab {lab.Name} is down ({removed} network namespaces removed)");
            }

            directory.Delete(recursive: true);
        }

        machine = machine with { LoadAfter = ComparisonMachine.LoadAverage() };
        var rows = labs.Select(l => l.Row).ToList();
        context.Stdout.Write(output == "json" ? ComparisonReport.Json(rows, settings, machine) : ComparisonReport.Markdown(rows, settings, machine));
        if (chartPath is not null)
        {
            ComparisonChart.Render(rows, settings).Save(chartPath);
            progress.Stdout.WriteLine($"compare: chart written to {chartPath}");
        }

        progress.Stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compare: {labs.Count} combinations in {clock.Elapsed.TotalSeconds:F0} s"));
        return failed ? 1 : 0;
    }

    private static async Task MeasureAsync(CliContext progress, List<ComparisonLab> labs, ComparisonSettings settings, CancellationToken cancellationToken)
    {
        var podToPod = labs.ToDictionary(l => l, _ => new List<double>());
        var podToClusterIp = labs.ToDictionary(l => l, _ => new List<double>());
        var connect = labs.ToDictionary(l => l, _ => new List<double>());
        var fewServices = labs.ToDictionary(l => l, _ => new List<double>());
        await RoundsAsync(progress, labs, settings, "throughput, connect, first packet at 10 Services", async (lab, round) =>
        {
            // The two paths in turn as well: the second run of a pair tends to find the machine otherwise than the first.
            if (round % 2 == 1)
            {
                podToPod[lab].Add(await lab.PodToPodAsync(settings.DurationSeconds, cancellationToken));
                podToClusterIp[lab].Add(await lab.PodToClusterIpAsync(settings.DurationSeconds, cancellationToken));
            }
            else
            {
                podToClusterIp[lab].Add(await lab.PodToClusterIpAsync(settings.DurationSeconds, cancellationToken));
                podToPod[lab].Add(await lab.PodToPodAsync(settings.DurationSeconds, cancellationToken));
            }

            connect[lab].AddRange(await lab.ConnectAsync(settings.Connects, cancellationToken));
            fewServices[lab].AddRange(await lab.FirstPacketAsync(settings.Connects, round, cancellationToken));
            return string.Create(CultureInfo.InvariantCulture, $"pod → pod {podToPod[lab][^1]:F2} Gbit/s, pod → ClusterIP {podToClusterIp[lab][^1]:F2} Gbit/s");
        });
        foreach (var lab in labs)
        {
            lab.Row = lab.Row with
            {
                PodToPodGbps = Median(podToPod[lab]),
                PodToClusterIpGbps = Median(podToClusterIp[lab]),
                Connect = LatencySummary.Of(connect[lab]),
                FirstPacketFew = LatencySummary.Of(fewServices[lab]),
            };
        }

        // The large changes, one lab at a time: their timing is the data plane's work, which must not share the CPUs.
        var added = ComparisonWorkload.Services(ComparisonWorkload.InitialServices, settings.Services);
        foreach (var lab in labs)
        {
            var before = await lab.ServicePortCountAsync(cancellationToken);
            var expected = before + settings.Services - ComparisonWorkload.InitialServices;
            var time = await lab.ApplyAndTimeAsync(added, lab.ServiceParts, (_, s) => s["servicePortCount"]?.GetValue<int>() == expected, cancellationToken);
            lab.Row = lab.Row with { Services = time };
            await lab.ReadAddressesAsync(cancellationToken);
            progress.Stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compare: {lab.Row.Combination}: {settings.Services:N0} Services programmed in {time.Seconds:F2} s (last sync {time.AgentSyncMs:F0} ms)"));
        }

        var manyServices = labs.ToDictionary(l => l, _ => new List<double>());
        await RoundsAsync(progress, labs, settings, $"first packet at {settings.Services:N0} Services", async (lab, round) =>
        {
            manyServices[lab].AddRange(await lab.FirstPacketAsync(settings.Connects, round, cancellationToken));
            return string.Create(CultureInfo.InvariantCulture, $"p50 {LatencySummary.Of(manyServices[lab]).P50Ms:F3} ms");
        });
        foreach (var lab in labs)
        {
            lab.Row = lab.Row with { FirstPacketMany = LatencySummary.Of(manyServices[lab]) };
        }

        var policies = ComparisonWorkload.Policies(settings.Policies);
        foreach (var lab in labs)
        {
            var time = await lab.ApplyAndTimeAsync(policies, lab.PolicyParts, (_, s) => s["policyCount"]?.GetValue<int>() == settings.Policies, cancellationToken);
            lab.Row = lab.Row with { Policies = time };
            progress.Stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compare: {lab.Row.Combination}: {settings.Policies:N0} NetworkPolicies programmed in {time.Seconds:F2} s (last sync {time.AgentSyncMs:F0} ms)"));
        }

        var withPolicies = labs.ToDictionary(l => l, _ => new List<double>());
        await RoundsAsync(progress, labs, settings, $"connect with {settings.Policies:N0} policies", async (lab, _) =>
        {
            withPolicies[lab].AddRange(await lab.ConnectAsync(settings.Connects, cancellationToken));
            return string.Create(CultureInfo.InvariantCulture, $"p50 {LatencySummary.Of(withPolicies[lab]).P50Ms:F3} ms");
        });
        foreach (var lab in labs)
        {
            lab.Row = lab.Row with { ConnectWithPolicies = LatencySummary.Of(withPolicies[lab]), DaemonMemoryMb = lab.DaemonMemoryMb() };
        }
    }

    /// <summary>Runs <paramref name="measure"/> in every lab, round after round, in turn; the order reversed every other round.</summary>
    private static async Task RoundsAsync(CliContext progress, List<ComparisonLab> labs, ComparisonSettings settings, string what, Func<ComparisonLab, int, Task<string>> measure)
    {
        for (var round = 1; round <= settings.Rounds; round++)
        {
            var order = round % 2 == 1 ? labs : Enumerable.Reverse(labs).ToList();
            foreach (var lab in order)
            {
                var said = await measure(lab, round);
                progress.Stdout.WriteLine($"compare: round {round}/{settings.Rounds}, {what}: {lab.Row.Combination}: {said}");
            }
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
