using System.Globalization;
using System.Text.Json.Nodes;

namespace Maille.Lab.Labs;

/// <summary>
/// What each node agent process last reported through the API (its <c>NodeAgent</c> status: parts, syncs, repairs,
/// how far it has read), and the waits of a change for every agent to have programmed it. Thread-safe.
/// </summary>
public sealed class LabAgentReports
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (JsonObject Status, long Observed)> _reports = new(StringComparer.Ordinal);
    private readonly List<(Func<bool> Done, TaskCompletionSource Signal)> _waiters = [];

    /// <summary>Records <paramref name="status"/> as <paramref name="node"/>'s latest report.</summary>
    public void Report(string node, JsonObject status)
    {
        var observed = long.TryParse(status["observedVersion"]?.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
        lock (_gate)
        {
            _reports[node] = (status, observed);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Done())
                {
                    _waiters[i].Signal.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>The latest report of <paramref name="node"/> (a copy), or null before the first.</summary>
    public JsonObject? Latest(string node)
    {
        lock (_gate)
        {
            return _reports.TryGetValue(node, out var report) ? (JsonObject)report.Status.DeepClone() : null;
        }
    }

    /// <summary>Forgets <paramref name="node"/>'s report (its agent is stopped or restarting): nothing waits for it.</summary>
    public void Forget(string node)
    {
        lock (_gate)
        {
            _reports.Remove(node);
        }
    }

    /// <summary>
    /// The nodes among <paramref name="nodes"/> whose agent has read and programmed everything up to
    /// <paramref name="version"/>, once all of them have or <paramref name="limit"/> has passed.
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitAsync(IReadOnlyCollection<string> nodes, long version, TimeSpan limit, CancellationToken cancellationToken)
    {
        bool AllDone() => nodes.All(n => _reports.TryGetValue(n, out var r) && r.Observed >= version);
        Task wait;
        TaskCompletionSource? mine = null;
        lock (_gate)
        {
            if (AllDone())
            {
                return [.. nodes.Order(StringComparer.Ordinal)];
            }

            mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((AllDone, mine));
            wait = mine.Task;
        }

        try
        {
            await wait.WaitAsync(limit, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Going on without the slow ones; the caller logs it.
        }

        lock (_gate)
        {
            _waiters.RemoveAll(w => w.Signal == mine);
            return [.. nodes.Where(n => _reports.TryGetValue(n, out var r) && r.Observed >= version).Order(StringComparer.Ordinal)];
        }
    }
}
