using Maille.Model;

namespace Maille.Engine.Allocation;

/// <summary>
/// Gives Services their ClusterIP (from the Service CIDR) and node ports (from the NodePort range). Values the input
/// requests are reserved first (validation has already refused conflicts); then Services are served in name order,
/// so the result does not depend on file order.
/// </summary>
internal static class ServiceAllocator
{
    public static IReadOnlyList<Service> Assign(IEnumerable<Service> services, ClusterConfig config, List<Diagnostic> diagnostics)
    {
        var ordered = services.OrderBy(s => s.QualifiedName, StringComparer.Ordinal).ToList();
        var pools = new ServiceAddressPools(config);
        foreach (var service in ordered)
        {
            pools.Reserve(service);
        }

        return [.. ordered.Select(s => pools.Allocate(s, diagnostics))];
    }
}
