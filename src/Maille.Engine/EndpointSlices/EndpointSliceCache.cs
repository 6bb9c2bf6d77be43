using Maille.Model;

namespace Maille.Engine.EndpointSlices;

/// <summary>
/// The slices a running lab's last plans made, by Service, with what they were made from. A lab plans the whole
/// cluster again on most changes; a Service that is the same and selects the same pods (equal records: same address,
/// readiness, node, ports, labels) gets its very slices back instead of new ones, so planning 10,000 Services after
/// one of them changed builds one Service's slices, and a node agent can tell what changed by reference. Offline
/// planning uses none. Not thread-safe: one planner at a time (a lab plans under its gate).
/// </summary>
public sealed class EndpointSliceCache
{
    private readonly Dictionary<string, (Service Service, IReadOnlyList<Pod> Selected, IReadOnlyList<EndpointSlice> Slices)> _entries = new(StringComparer.Ordinal);

    public IReadOnlyList<EndpointSlice> Slices(Service service, IReadOnlyList<Pod> selected)
    {
        if (_entries.TryGetValue(service.QualifiedName, out var entry) && entry.Service.Equals(service) && entry.Selected.SequenceEqual(selected))
        {
            return entry.Slices;
        }

        IReadOnlyList<EndpointSlice> slices = [.. EndpointSliceBuilder.FromSelected(service, selected)];
        _entries[service.QualifiedName] = (service, selected, slices);
        return slices;
    }
}
