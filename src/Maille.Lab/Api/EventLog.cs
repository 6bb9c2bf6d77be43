namespace Maille.Lab.Api;

/// <summary>
/// The lab's events, bounded: the last <see cref="Capacity"/> kept, the one updated longest ago leaving first (the API
/// server keeps them an hour; a lab keeps a number). A repeat of a kept event (<see cref="LabEvent.AggregationKey"/>)
/// counts on it and moves its last time, as client-go's event correlator does before it writes. Not thread-safe: the
/// store calls it under its lock.
/// </summary>
internal sealed class EventLog(int capacity, TimeProvider clock)
{
    public const int DefaultCapacity = 1_000;

    private readonly Dictionary<(EventSubject, string, string, string, string, string?), LinkedListNode<LabEvent>> _byKey = [];
    private readonly LinkedList<LabEvent> _events = [];
    private LabEvent[]? _snapshot;
    private long _lastNanoseconds;

    public int Capacity => capacity;

    /// <summary>The kept events, oldest update first; the same array until the next change.</summary>
    public IReadOnlyList<LabEvent> Events => _snapshot ??= [.. _events];

    /// <summary>
    /// Records <paramref name="record"/>. Returns the event as now kept (a new one,
    /// or a repeat with its count raised) and whether it is new, and the events that made room for it.
    /// </summary>
    public (LabEvent Event, bool Added, IReadOnlyList<LabEvent> Evicted) Record(EventRecord record)
    {
        var (subject, type, reason, message, component, host) = record;
        var now = clock.GetUtcNow();
        var key = (subject, type, reason, message, component, host);
        _snapshot = null;
        if (_byKey.TryGetValue(key, out var node))
        {
            _events.Remove(node);
            node.Value = node.Value with { Count = node.Value.Count + 1, LastTimestamp = now };
            _events.AddLast(node);
            return (node.Value, false, []);
        }

        // The API server's names: the object's name and the time in hexadecimal nanoseconds (made unique here, since
        // the clock's ticks are coarser than two events of one object).
        _lastNanoseconds = Math.Max((now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100, _lastNanoseconds + 1);
        var name = $"{subject.Name}.{_lastNanoseconds:x}";
        var recorded = new LabEvent(name, subject.Namespace ?? "default", Guid.NewGuid().ToString(), subject, type, reason, message, component, host, now, now, 1);
        _byKey[key] = _events.AddLast(recorded);
        var evicted = new List<LabEvent>();
        while (_events.Count > capacity)
        {
            var oldest = _events.First!.Value;
            _events.RemoveFirst();
            _byKey.Remove(oldest.AggregationKey);
            evicted.Add(oldest);
        }

        return (recorded, true, evicted);
    }
}
