using Maille.Kube.MetalLb;
using Maille.Model;

namespace Maille.Kube;

internal static partial class ModelConverter
{
    public static IPAddressPool ConvertIPAddressPool(IPAddressPoolDocument pool, string ns, SourceLocation source)
    {
        var spec = pool.Spec ?? new IPAddressPoolDocument.PoolSpec();
        return new IPAddressPool
        {
            Meta = Meta(pool.Metadata, ns, source),
            Addresses = new((spec.Addresses ?? []).Select(a => a ?? "")),
            AutoAssign = spec.AutoAssign ?? true,
            AvoidBuggyIPs = spec.AvoidBuggyIPs ?? false,
            ServiceAllocation = spec.ServiceAllocation is { } allocation ? ConvertServiceAllocation(allocation) : null,
        };
    }

    private static ServiceAllocation ConvertServiceAllocation(IPAddressPoolDocument.ServiceAllocationSpec allocation) => new()
    {
        Priority = Math.Max(0, allocation.Priority ?? 0),
        Namespaces = new((allocation.Namespaces ?? []).Select(n => n ?? "")),
        NamespaceSelectors = Selectors(allocation.NamespaceSelectors),
        ServiceSelectors = Selectors(allocation.ServiceSelectors),
    };

    public static L2Advertisement ConvertL2Advertisement(L2AdvertisementDocument advertisement, string ns, SourceLocation source)
    {
        var spec = advertisement.Spec ?? new L2AdvertisementDocument.AdvertisementSpec();
        return new L2Advertisement
        {
            Meta = Meta(advertisement.Metadata, ns, source),
            IPAddressPools = new((spec.IPAddressPools ?? []).Select(p => p ?? "")),
            IPAddressPoolSelectors = Selectors(spec.IPAddressPoolSelectors),
            NodeSelectors = Selectors(spec.NodeSelectors),
            Interfaces = new((spec.Interfaces ?? []).Select(n => n ?? "")),
        };
    }
}
