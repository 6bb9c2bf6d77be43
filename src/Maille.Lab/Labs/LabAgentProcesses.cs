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
/// <para>
/// A daemon that dies (<c>kill -9</c>, a crash) leaves its agents running on their rules. The next daemon of the lab
/// adopts each that still runs in its node's namespace (<see cref="Adoptable"/>: the pid and start time recorded in
/// <c>agents/NODE.process.json</c>) instead of starting another, and carries its restart count on. It cannot wait for
/// a process that is not its child (<c>waitpid</c> works for children only), so it opens a pidfd of an adopted agent
/// and sleeps until it turns readable at the agent's end (<see cref="Dataplane.Linux.Processes.ProcessExitWatch"/>;
/// without pidfds, it looks at <c>/proc/PID/stat</c> every quarter of a second: <see cref="ProcessStart"/>, the same
/// start time, not a zombie); the end of an adopted agent has no exit status to read, and is shown as the kubelet shows a container whose status it
/// lost: exit code 137, reason <c>ContainerStatusUnknown</c>. It is then started again like any other.
/// </para>
/// </summary>
public sealed partial class LabAgentProcesses : IAsyncDisposable
{
    /// <summary>The port the API listens on inside each node's namespace (its own loopback, so every node has the same one).</summary>
    public const int NodeApiPort = 6443;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StableRun = TimeSpan.FromSeconds(30);

    /// <summary>How often an adopted agent, which is not this process's child, is looked at in /proc.</summary>
    private static readonly TimeSpan AdoptedCheckInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The exit code and reason the kubelet reports for a container whose end it could not observe.</summary>
    private const int UnknownExitCode = 137;

    private const string UnknownExitReason = "ContainerStatusUnknown";

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
            return _agents.ToDictionary(a => a.Key, a => (Running(a.Value) ? a.Value.Pid : null, a.Value.Restarts, a.Value.LastExit), StringComparer.Ordinal);
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

    /// <summary>
    /// The agents a previous daemon of the lab started that still run, each in its node's namespace as it is now: by node,
    /// what that daemon recorded of them. A recorded pid whose start time differs is another process (the pid was
    /// reused); an agent in another namespace (one a rebuild removed) is not the node's.
    /// </summary>
    internal static IReadOnlyDictionary<string, AgentProcessRecord> Adoptable(LabState state, IEnumerable<string> nodes)
    {
        var found = new Dictionary<string, AgentProcessRecord>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (AgentProcessRecord.Read(state, node) is { } record
                && ProcessStart.Of(record.Pid) == record.StartTicks
                && NamespaceOf(record.Pid) is { } own
                && Dataplane.Linux.Netns.NamespaceProcesses.Identities([LabNamespaces.Node(state.Lab, node)]).Contains(own))
            {
                found[node] = record;
            }
        }

        return found;
    }

    private static string? NamespaceOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/net").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Starts every agent's supervision loop, except those of <paramref name="stopped"/> nodes. An agent a previous daemon
    /// left running (<see cref="Adoptable"/>) is adopted instead of started: same process, same restart count.
    /// </summary>
    public void Start(IReadOnlySet<string> stopped)
    {
        var adoptable = Adoptable(_state, _agents.Keys);
        foreach (var agent in _agents.Values)
        {
            agent.Wanted = !stopped.Contains(agent.Node);
            if (adoptable.TryGetValue(agent.Node, out var record))
            {
                Adopt(agent, record);
            }

            agent.Loop = Task.Run(() => SuperviseAsync(agent, _stopping.Token));
        }
    }

    private void Adopt(Supervised agent, AgentProcessRecord record)
    {
        lock (_agents)
        {
            agent.Adopted = record;
            agent.Pid = record.Pid;
            agent.StartTicks = record.StartTicks;
            agent.StartedAt = record.StartedAt;
            agent.Restarts = record.Restarts;
            agent.LastExit = record.LastExit;
            if (record is { Restarts: > 0, LastEndedAt: { } ended })
            {
                agent.LastEnd = (record.LastExitCode, ended, record.LastReason ?? "Error");
                _restarts = new Dictionary<string, Kube.ContainerRestarts>(_restarts, StringComparer.Ordinal)
                {
                    [agent.Node] = new(record.Restarts, record.LastExitCode, record.LastReason ?? "Error", ended, record.StartedAt),
                };
            }

            if (!agent.Wanted)
            {
                // Its node is stopped: the agent should not run (its rules stay, as when the node was stopped).
                Terminate(agent);
            }
        }

        LogAdopted(agent.Node, record.Pid, record.Restarts);
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
                Terminate(agent);
            }
        }

        agent.Kick.Release();
    }

    private async Task SuperviseAsync(Supervised agent, CancellationToken stopping)
    {
        var backoff = FirstBackoff;
        while (!stopping.IsCancellationRequested)
        {
            if (!agent.Wanted && agent.Adopted is null)
            {
                await agent.Kick.WaitAsync(stopping).ConfigureAwait(false);
                continue;
            }

            int exitCode;
            string exit, reason;
            DateTimeOffset startedAt;
            try
            {
                (exitCode, exit, reason, startedAt) = agent.Adopted is { } adopted
                    ? await WatchAdoptedAsync(agent, adopted, stopping).ConfigureAwait(false)
                    : await RunAsync(agent, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var finished = DateTimeOffset.UtcNow;
            lock (_agents)
            {
                agent.LastExit = exit;
                agent.Process = null;
                agent.Pid = null;
            }

            if (!agent.Wanted)
            {
                continue;
            }

            agent.Restarts++;
            agent.LastEnd = (exitCode, finished, reason);
            backoff = finished - startedAt >= StableRun ? FirstBackoff : backoff;
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

    /// <summary>Starts the agent as this daemon's child and waits for its end: its exit code, in the status's words and the kubelet's.</summary>
    private async Task<(int ExitCode, string Exit, string Reason, DateTimeOffset StartedAt)> RunAsync(Supervised agent, CancellationToken stopping)
    {
        Process process;
        var restarted = false;
        lock (_agents)
        {
            process = Launch(agent);
            agent.Process = process;
            agent.Pid = process.Id;
            agent.StartTicks = ProcessStart.Of(process.Id) ?? 0;
            agent.StartedAt = DateTimeOffset.UtcNow;
            if (agent.LastEnd is { } end && agent.Restarts > 0)
            {
                // A signal's death is the runtime's exit code 128 + N, as the kubelet reports a killed container (137: SIGKILL).
                _restarts = new Dictionary<string, Kube.ContainerRestarts>(_restarts, StringComparer.Ordinal)
                {
                    [agent.Node] = new(agent.Restarts, end.ExitCode, end.Reason, end.At, agent.StartedAt),
                };
                restarted = true;
            }

            Record(agent);
        }

        if (restarted)
        {
            Restarted?.Invoke(agent.Node);
        }

        try
        {
            await process.WaitForExitAsync(stopping).ConfigureAwait(false);
            var exitCode = process.ExitCode;
            return (exitCode, exitCode >= 128 ? $"signal {exitCode - 128}" : $"exit code {exitCode}", exitCode == 0 ? "Completed" : "Error", agent.StartedAt);
        }
        finally
        {
            if (process.HasExited)
            {
                process.Dispose();
            }
        }
    }

    /// <summary>Waits for the end of an agent a previous daemon started (not this daemon's child: its exit status cannot be read).</summary>
    private async Task<(int ExitCode, string Exit, string Reason, DateTimeOffset StartedAt)> WatchAdoptedAsync(Supervised agent, AgentProcessRecord adopted, CancellationToken stopping)
    {
        if (OpenExitWatch(adopted.Pid) is { } exit)
        {
            using (exit)
            {
                // The pidfd holds the process the pid named when it was opened: the adopted one if its start is still
                // the recorded one now, else the adopted one had already ended.
                if (ProcessStart.Of(adopted.Pid) == adopted.StartTicks)
                {
                    await exit.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
        }
        else
        {
            while (ProcessStart.Of(adopted.Pid) == adopted.StartTicks)
            {
                await Task.Delay(AdoptedCheckInterval, stopping).ConfigureAwait(false);
            }
        }

        lock (_agents)
        {
            agent.Adopted = null;
        }

        return (UnknownExitCode, "ended, exit status unknown (adopted from a previous daemon)", UnknownExitReason, adopted.StartedAt);
    }

    /// <summary>
    /// A pidfd of <paramref name="pid"/>; null when no process has that pid, or when this kernel has no pidfd (logged
    /// nowhere: the adopted agent is then looked at in /proc every <see cref="AdoptedCheckInterval"/>).
    /// </summary>
    private static Dataplane.Linux.Processes.ProcessExitWatch? OpenExitWatch(int pid)
    {
        try
        {
            return Dataplane.Linux.Processes.ProcessExitWatch.Open(pid);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>What the next daemon needs to adopt the agent and carry its restarts on (<see cref="AgentProcessRecord"/>).</summary>
    private void Record(Supervised agent) => new AgentProcessRecord
    {
        Pid = agent.Pid ?? 0,
        StartTicks = agent.StartTicks,
        StartedAt = agent.StartedAt,
        Restarts = agent.Restarts,
        LastExit = agent.LastExit,
        LastExitCode = agent.LastEnd?.ExitCode ?? 0,
        LastReason = agent.LastEnd?.Reason,
        LastEndedAt = agent.LastEnd?.At,
    }.Write(_state, agent.Node);

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

    /// <summary>Whether the agent's process runs: this daemon's child not exited, or an adopted one still in /proc with its start time.</summary>
    private static bool Running(Supervised agent) => agent.Process is { } process
        ? !process.HasExited
        : agent.Pid is { } pid && ProcessStart.Of(pid) == agent.StartTicks;

    private static void Terminate(Supervised agent, int signal = Libc.SigTerm)
    {
        if (Running(agent) && agent.Pid is { } pid)
        {
            _ = Libc.Kill(pid, signal);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        List<Supervised> running;
        lock (_agents)
        {
            running = [.. _agents.Values.Where(Running)];
            foreach (var agent in running)
            {
                Terminate(agent);
            }
        }

        foreach (var agent in running)
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                while (Running(agent))
                {
                    await Task.Delay(50, patience.Token);
                }
            }
            catch (OperationCanceledException)
            {
                Terminate(agent, Libc.SigKill);
            }
        }

        await Task.WhenAll(_agents.Values.Select(a => a.Loop ?? Task.CompletedTask));
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 560, Level = LogLevel.Warning, Message = "The agent of node {Node} ended ({Exit}); starting it again in {Milliseconds} ms")]
    private partial void LogRestarting(string node, string? exit, double milliseconds);

    [LoggerMessage(EventId = 561, Level = LogLevel.Information, Message = "Adopted the agent of node {Node} (pid {Pid}, {Restarts} restarts) that a previous daemon of the lab left running")]
    private partial void LogAdopted(string node, int pid, int restarts);

    /// <summary>One node's agent under supervision.</summary>
    private sealed class Supervised(string node, IReadOnlyList<string> arguments)
    {
        public string Node => node;

        public IReadOnlyList<string> Arguments => arguments;

        public SemaphoreSlim Kick { get; } = new(0);

        public bool Wanted { get; set; }

        /// <summary>The running agent when this daemon started it (its child); null for an adopted one.</summary>
        public Process? Process { get; set; }

        /// <summary>The agent a previous daemon started, until it ends.</summary>
        public AgentProcessRecord? Adopted { get; set; }

        /// <summary>The current process's id, and its start (<see cref="ProcessStart"/>) and time.</summary>
        public int? Pid { get; set; }

        public ulong StartTicks { get; set; }

        public DateTimeOffset StartedAt { get; set; }

        public int Restarts { get; set; }

        public string? LastExit { get; set; }

        /// <summary>How the last run that was followed by a restart ended: its exit code (128 + signal), when, and the kubelet's reason.</summary>
        public (int ExitCode, DateTimeOffset At, string Reason)? LastEnd { get; set; }

        public Task? Loop { get; set; }
    }
}
