namespace Maille.Lab.Observe;

/// <summary>The last <c>capacity</c> events, oldest first; older ones are overwritten.</summary>
internal sealed class FlowHistory(int capacity)
{
    private readonly FlowEvent[] _ring = new FlowEvent[capacity];
    private readonly Lock _gate = new();
    private long _written;

    public void Add(FlowEvent item)
    {
        lock (_gate)
        {
            _ring[_written % _ring.Length] = item;
            _written++;
        }
    }

    public IReadOnlyList<FlowEvent> Snapshot()
    {
        lock (_gate)
        {
            var count = (int)Math.Min(_written, _ring.Length);
            var start = _written - count;
            return [.. Enumerable.Range(0, count).Select(i => _ring[(start + i) % _ring.Length])];
        }
    }
}
