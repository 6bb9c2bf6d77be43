using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Maille.Lab.Labs;
using Microsoft.Extensions.Logging;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille lab-daemon --lab NAME --mode MODE [--flush-denied-connections] [--api-port PORT] [--flow-queue N] [--dataplane nftables|ebpf]</c> (hidden): the lab's long-running process. <c>maille up</c> starts it
/// in its own session, with its output in the lab's log, so it outlives the terminal and can be stopped as a group.
/// </summary>
internal static class LabDaemonCommand
{
    public static Command Create(CliContext context)
    {
        var lab = LabCommon.LabOption();
        var mode = new Option<string>("--mode") { DefaultValueFactory = _ => "routed" };
        var flush = new Option<bool>("--flush-denied-connections");
        var apiPort = new Option<int>("--api-port");
        var agents = new Option<string>("--agents") { DefaultValueFactory = _ => "inline" };
        var flowQueue = new Option<int>("--flow-queue");
        var dataplane = new Option<string>("--dataplane") { DefaultValueFactory = _ => "nftables" };
        dataplane.AcceptOnlyFromAmong("nftables", "ebpf");
        var command = new Command("lab-daemon", "Run a lab's daemon in the foreground (started by maille up).") { lab, mode, flush, apiPort, agents, flowQueue, dataplane };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var name = parse.GetValue(lab)!;
            if (!LabCommon.CanRunLab(context, name) || !OperatingSystem.IsLinux())
            {
                return 1;
            }

            return Run(name, parse.GetValue(mode)!, parse.GetValue(flush), parse.GetValue(apiPort), parse.GetValue(agents) == "process", parse.GetValue(flowQueue), parse.GetValue(dataplane) == "ebpf" ? Model.DataplaneKind.Ebpf : Model.DataplaneKind.Nftables);
        });
        return command;
    }

    [SupportedOSPlatform("linux")]
    private static int Run(string lab, string mode, bool flushDeniedConnections, int apiPort, bool agentsAsProcesses, int flowQueue, Model.DataplaneKind dataplane)
    {
        using var stopping = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stopping.Cancel();
        });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            signal.Cancel = true;
            stopping.Cancel();
        });
        using var loggers = LoggerFactory.Create(builder => builder
            .AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ")
            .SetMinimumLevel(LogLevel.Information)
            // YARP logs every proxied request at Information; the Ingress proxy writes its own access log.
            .AddFilter("Yarp", LogLevel.Warning));
        // One descriptor per served port: a lab of 10,000 pods needs more than the usual soft limit of 1,024.
        MachineLimits.RaiseDescriptorLimit();

        // Numbers below 1,024 for libnftables' sockets, taken now while the daemon's numbers are small (LowDescriptors).
        LabNamespaces.ReserveLowDescriptors();
        var daemon = LabDaemon.For(new LabState(lab), mode, loggers, flushDeniedConnections, apiPort, agentsAsProcesses, flowQueue, dataplane);
        return daemon.RunAsync(stopping.Token).GetAwaiter().GetResult();
    }

    private const string ConserveMemory = "DOTNET_GCConserveMemory";
    private const string ThreadPoolSpinLimit = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";

    /// <summary>Starts the daemon detached: a new session (setsid), no terminal, output appended to the lab's log.</summary>
    [SupportedOSPlatform("linux")]
    public static Process Launch(LabState state, string mode, bool flushDeniedConnections = false, int apiPort = 0, string agents = "inline", int flowQueue = 0, string dataplane = "nftables")
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH")
            ?? (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath : null)
            ?? "dotnet";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        string[] flush = flushDeniedConnections ? ["--flush-denied-connections"] : [];
        string[] queue = flowQueue > 0 ? ["--flow-queue", flowQueue.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        foreach (var argument in (string[])["sh", "-c", "exec \"$@\" </dev/null >>\"$MAILLE_LOG\" 2>&1", "sh", dotnet, typeof(CliApp).Assembly.Location, "lab-daemon", "--lab", state.Lab, "--mode", mode, "--api-port", apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--agents", agents, "--dataplane", dataplane, .. flush, .. queue])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MAILLE_LOG"] = state.LogFile;
        // The workstation GC sizes its youngest generation from the CPU's cache; a 16 MiB budget keeps a 1,000-pod
        // daemon about 45 MB smaller for a few more collections (docs/benchmarks.md, "Labs of 10,000 pods"). Only an
        // environment variable sets it (runtimeconfig.json has no name for it); the user's own value wins.
        if (Environment.GetEnvironmentVariable(YoungGenerationBudget.Variable) is null)
        {
            start.Environment[YoungGenerationBudget.Variable] = YoungGenerationBudget.Value;
        }

        // The daemon keeps what it builds for the lab's life, so the GC compacting its older generation sooner costs
        // little: a 1,000-pod daemon's high-water mark was 164–170 MB with it against 174–197 MB without
        // (docs/benchmarks.md, "Session 16"). The user's own value wins.
        if (Environment.GetEnvironmentVariable(ConserveMemory) is null)
        {
            start.Environment[ConserveMemory] = "7";
        }

        // An idle thread-pool worker spins before it sleeps; on two cores shared with the node agents' threads, the
        // clients and the kernel's forwarding, those spins (mostly sched_yield) took CPU a change's answer was waiting
        // for (docs/benchmarks.md, "Session 24"). The user's own value wins.
        if (Environment.GetEnvironmentVariable(ThreadPoolSpinLimit) is null)
        {
            start.Environment[ThreadPoolSpinLimit] = "0";
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start the lab daemon");
    }
}
