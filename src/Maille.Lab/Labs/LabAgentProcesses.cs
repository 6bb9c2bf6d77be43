using System.Diagnostics;
using System.Reflection;
using Maille.Dataplane.Linux.Interop;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Labs;

/// <summary>
/// The lab's node agents as processes, one per node, each started inside its node's network namespace (as a
/// hostNetwork DaemonSet pod runs on its node) with its own kubeconfig and client certificate (<c>system:node:NODE</c>),
/// and supervised as a kubelet restarts a container: an agent that exits is started again after a backoff (doubling
/// from half a second up to ten, back to the start once it has run for half a minute). Stopping a node stops its agent
/// (SIGTERM: the agent leaves its rules); the daemon's end stops them all.
/// </summary>
public sealed partial class LabAgentProcesses : IAsyncDisposable
{
    /// <summary>The port the API listens on inside each node's namespace (its own loopback, so every node has the same one).</summary>
    public const int NodeApiPort = 6443;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StableRun = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The .NET runtime of an agent process is tuned for a small, long-lived process rather than for throughput
    /// (docs/node-agent.md, "Memory and CPU of an agent process"): a 4 MiB gen0 budget instead of the CLI's 16 MiB, so the heap stays near what the
    /// agent holds; the GC compacting the large object heap when it would otherwise grow (the full-sync scripts of
    /// 10,000 Services are large strings); no dynamic PGO instrumentation; and no tiered compilation: an agent runs each
    /// path once per change, so tier-0 code would serve most changes, while JIT at full optimization from the first
    /// call costs less at start than it saves (a 1,000-Service agent's first assembly 0.8 s instead of 1.5 s); and
    /// thread-pool workers that sleep at once instead of spinning first, as the daemon's (docs/benchmarks.md, "Session 24").
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string Value)> AgentRuntimeSettings =
    [
        ("DOTNET_GCgen0size", "0x400000"),
        ("DOTNET_GCConserveMemory", "5"),
        ("DOTNET_TieredPGO", "0"),
        ("DOTNET_TieredCompilation", "0"),
        ("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "0"),
    ];

    private readonly LabState _state;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Supervised> _agents = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private IReadOnlyDictionary<string, Kube.ContainerRestarts> _restarts = new Dictionary<string, Kube.ContainerRestarts>(StringComparer.Ordinal);

    /// <param name="arguments">The agent's arguments after <c>--node NAME</c> (kubeconfig, config, parts).</param>
    public LabAgentProcesses(LabState state, ILogger logger, Func<string, IReadOnlyList<string>> arguments, IEnumerable<string> nodes)
    {
        _state = state;
        _logger = logger;
        foreach (var node in nodes)
        {
            _agents[node] = new Supervised(node, arguments(node));
        }
    }

    /// <summary>The folder of the agents' kubeconfigs, configuration and logs (0700).</summary>
    public static string Directory(LabState state) => Path.Combine(state.Directory, "agents");

    /// <summary>Each agent's process id (null while it is down), restarts and last exit, for the status.</summary>
    public IReadOnlyDictionary<string, (int? Pid, int Restarts, string? LastExit)> Processes()
    {
        lock (_agents)
        {
            return _agents.ToDictionary(a => a.Key, a => (a.Value.Process is { HasExited: false } p ? p.Id : (int?)null, a.Value.Restarts, a.Value.LastExit), StringComparer.Ordinal);
        }
    }

    /// <summary>A node's agent was started again after it ended (its node name): the API shows the restart on its pod.</summary>
    public event Action<string>? Restarted;

    /// <summary>
    /// The nodes whose agent was started again at least once: how often, and how its last run ended, as the
    /// <c>maille-agent</c> pod of the node shows it. The same instance while nothing changed.
    /// </summary>
    public IReadOnlyDictionary<string, Kube.ContainerRestarts> Restarts()
    {
        lock (_agents)
        {
            return _restarts;
        }
    }

    /// <summary>Starts every agent's supervision loop, except those of <paramref name="stopped"/> nodes.</summary>
    public void Start(IReadOnlySet<string> stopped)
    {
        foreach (var agent in _agents.Values)
        {
            agent.Wanted = !stopped.Contains(agent.Node);
            agent.Loop = Task.Run(() => SuperviseAsync(agent, _stopping.Token));
        }
    }

    /// <summary>Starts or stops one node's agent (the node is started or stopped).</summary>
    public void Set(string node, bool up)
    {
        var agent = _agents[node];
        lock (_agents)
        {
            agent.Wanted = up;
            if (!up)
            {
                Terminate(agent.Process);
            }
        }

        agent.Kick.Release();
    }

    private async Task SuperviseAsync(Supervised agent, CancellationToken stopping)
    {
        var backoff = FirstBackoff;
        while (!stopping.IsCancellationRequested)
        {
            if (!agent.Wanted)
            {
                await agent.Kick.WaitAsync(stopping).ConfigureAwait(false);
                continue;
            }

            Process process;
            var restarted = false;
            lock (_agents)
            {
                process = Launch(agent);
                agent.Process = process;
                if (agent.LastEnd is { } end && agent.Restarts > 0)
                {
                    // A signal's death is the runtime's exit code 128 + N, as the kubelet reports a killed container (137: SIGKILL).
                    _restarts = new Dictionary<string, Kube.ContainerRestarts>(_restarts, StringComparer.Ordinal)
                    {
                        [agent.Node] = new(agent.Restarts, end.ExitCode, end.ExitCode == 0 ? "Completed" : "Error", end.At, DateTimeOffset.UtcNow),
                    };
                    restarted = true;
                }
            }

            if (restarted)
            {
                Restarted?.Invoke(agent.Node);
            }

            var started = Stopwatch.StartNew();
            try
            {
                await process.WaitForExitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var exitCode = process.ExitCode;
            var finished = DateTimeOffset.UtcNow;
            lock (_agents)
            {
                agent.LastExit = exitCode >= 128 ? $"signal {exitCode - 128}" : $"exit code {exitCode}";
                agent.Process = null;
            }

            process.Dispose();
            if (!agent.Wanted)
            {
                continue;
            }

            agent.Restarts++;
            agent.LastEnd = (exitCode, finished);
            backoff = started.Elapsed >= StableRun ? FirstBackoff : backoff;
            LogRestarting(agent.Node, agent.LastExit, backoff.TotalMilliseconds);
            try
            {
                await Task.Delay(backoff, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>
    /// <c>ip netns exec NODE-NAMESPACE maille agent --node NAME …</c>, its output appended to the agent's log. The same
    /// program as the daemon: the .NET host and the CLI's assembly, or the single-file executable.
    /// </summary>
    private Process Launch(Supervised agent)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        string[] program = Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, Assembly.GetEntryAssembly()!.Location] : [host];
        var start = new ProcessStartInfo("sh") { UseShellExecute = false };
        string[] command = ["-c", "exec \"$@\" </dev/null >>\"$MAILLE_AGENT_LOG\" 2>&1", "sh", "ip", "netns", "exec", LabNamespaces.Node(_state.Lab, agent.Node), .. program, "agent", "--node", agent.Node, .. agent.Arguments];
        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }

        var log = Path.Combine(Directory(_state), $"{agent.Node}.log");
        if (!File.Exists(log))
        {
            PrivateFiles.Touch(log);
        }

        start.Environment["MAILLE_AGENT_LOG"] = log;
        foreach (var (name, value) in AgentRuntimeSettings)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"could not start the agent of node {agent.Node}");
    }

    private static void Terminate(Process? process)
    {
        if (process is { HasExited: false })
        {
            _ = Libc.Kill(process.Id, Libc.SigTerm);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        List<Process> running;
        lock (_agents)
        {
            running = [.. _agents.Values.Select(a => a.Process).OfType<Process>().Where(p => !p.HasExited)];
            foreach (var process in running)
            {
                Terminate(process);
            }
        }

        foreach (var process in running)
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
        }

        await Task.WhenAll(_agents.Values.Select(a => a.Loop ?? Task.CompletedTask));
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 560, Level = LogLevel.Warning, Message = "The agent of node {Node} ended ({Exit}); starting it again in {Milliseconds} ms")]
    private partial void LogRestarting(string node, string? exit, double milliseconds);

    /// <summary>One node's agent under supervision.</summary>
    private sealed class Supervised(string node, IReadOnlyList<string> arguments)
    {
        public string Node => node;

        public IReadOnlyList<string> Arguments => arguments;

        public SemaphoreSlim Kick { get; } = new(0);

        public bool Wanted { get; set; }

        public Process? Process { get; set; }

        public int Restarts { get; set; }

        public string? LastExit { get; set; }

        /// <summary>How the last run that was followed by a restart ended: its exit code (128 + signal) and when.</summary>
        public (int ExitCode, DateTimeOffset At)? LastEnd { get; set; }

        public Task? Loop { get; set; }
    }
}
