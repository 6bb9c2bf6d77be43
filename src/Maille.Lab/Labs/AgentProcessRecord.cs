using System.Text.Json;

namespace Maille.Lab.Labs;

/// <summary>
/// What a daemon knows of one node's agent process, kept beside the agent's kubeconfig (<c>agents/NODE.process.json</c>,
/// 0600) so that the next daemon of the lab can adopt the process and carry its restarts on: the pid and start time that
/// name the process, and its restart history as the <c>maille-agent</c> pod shows it.
/// </summary>
internal sealed record AgentProcessRecord
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public required int Pid { get; init; }

    /// <summary>The process's start in clock ticks after boot (<see cref="ProcessStart"/>): a pid is reused, a pid and its start are not.</summary>
    public required ulong StartTicks { get; init; }

    /// <summary>When the daemon started it: the <c>maille-agent</c> container's <c>startedAt</c>.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How many times it was started again after an end.</summary>
    public int Restarts { get; init; }

    /// <summary>How the last run that was followed by a restart ended, in the status's words (<c>signal 9</c>).</summary>
    public string? LastExit { get; init; }

    /// <summary>That run's exit code as the kubelet reports it (128 + N for a signal).</summary>
    public int LastExitCode { get; init; }

    /// <summary>The kubelet's reason for that end: <c>Completed</c>, <c>Error</c>, or <c>ContainerStatusUnknown</c>.</summary>
    public string? LastReason { get; init; }

    public DateTimeOffset? LastEndedAt { get; init; }

    public static string PathOf(LabState state, string node) => Path.Combine(LabAgentProcesses.Directory(state), $"{node}.process.json");

    public void Write(LabState state, string node) => PrivateFiles.Write(PathOf(state, node), JsonSerializer.Serialize(this, Json));

    /// <summary>The record of <paramref name="node"/>'s agent; null when there is none or it cannot be read.</summary>
    public static AgentProcessRecord? Read(LabState state, string node)
    {
        try
        {
            var path = PathOf(state, node);
            return File.Exists(path) ? JsonSerializer.Deserialize<AgentProcessRecord>(File.ReadAllText(path), Json) : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }
}
