using BenchmarkDotNet.Running;

namespace Maille.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "svc-apply" && OperatingSystem.IsLinux())
        {
            return ServiceApplyMeasurement.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "ebpf-sync" && OperatingSystem.IsLinux())
        {
            return EbpfSyncMeasurement.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "policy-apply" && OperatingSystem.IsLinux())
        {
            return PolicyApplyMeasurement.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "policy-traffic" && OperatingSystem.IsLinux())
        {
            return PolicyTrafficMeasurement.Run(args[1..]);
        }

        if (args.Length > 1 && args[0] == "lab-change-loop" && OperatingSystem.IsLinux())
        {
            return LabChangeBenchmarks.Loop(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
