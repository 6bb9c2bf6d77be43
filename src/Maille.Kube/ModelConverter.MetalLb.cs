using Maille.Engine.Validation;
using Maille.Kube.MetalLb;
using Maille.Model;

namespace Maille.Kube;

internal sealed partial class ModelConverter
{
    /// <summary>Linux's limit on an interface name (IFNAMSIZ - 1).</summary>
    private const int MaxInterfaceNameLength = 15;

    /// <summary>
    /// Converts and validates MetalLB's <c>IPAddressPool</c>: every address entry a CIDR or a FIRST-LAST range, no
    /// duplicate namespace, valid selectors. Checks across pools (overlaps, node addresses) are made when planning.
    /// </summary>
    public IPAddressPool ConvertIPAddressPool(IPAddressPoolDocument pool, string ns, SourceLocation source)
    {
        var errors = Errors(IPAddressPool.KindName, ns, pool.Metadata?.Name ?? "", source);
        CheckMeta(errors, pool.Metadata, NameRules.Dns1123Subdomain);
        var spec = pool.Spec ?? new IPAddressPoolDocument.PoolSpec();
        var addresses = spec.Addresses ?? [];
        if (addresses.Count == 0)
        {
            errors.Required("spec.addresses", "a pool needs at least one CIDR or FIRST-LAST range");
        }

        for (var i = 0; i < addresses.Count; i++)
        {
            var text = addresses[i] ?? "";
            if (AddressRange.LooksIPv6(text))
            {
                errors.Warning($"spec.addresses[{i}]", $"{Diagnostic.Quote(text)} is IPv6: accepted but not used, Maille allocates IPv4 LoadBalancer addresses only");
            }
            else if (AddressRange.TryParse(text, out var problem) is null)
            {
                errors.Invalid($"spec.addresses[{i}]", text, problem!);
            }
        }

        return new IPAddressPool
        {
            Meta = Meta(pool.Metadata, ns, source),
            Addresses = new(addresses.Select(a => a ?? "")),
            AutoAssign = spec.AutoAssign ?? true,
            AvoidBuggyIPs = spec.AvoidBuggyIPs ?? false,
            ServiceAllocation = spec.ServiceAllocation is { } allocation ? ConvertServiceAllocation(errors, allocation) : null,
        };
    }

    private static ServiceAllocation ConvertServiceAllocation(FieldErrors errors, IPAddressPoolDocument.ServiceAllocationSpec allocation)
    {
        const string At = "spec.serviceAllocation";
        if (allocation.Priority is < 0)
        {
            errors.Invalid($"{At}.priority", allocation.Priority.Value, "must be greater than or equal to 0");
        }

        var namespaces = allocation.Namespaces ?? [];
        CheckNameList(errors, namespaces, $"{At}.namespaces", NameRules.Dns1123Label);

        return new ServiceAllocation
        {
            Priority = Math.Max(0, allocation.Priority ?? 0),
            Namespaces = new(namespaces.Select(n => n ?? "")),
            NamespaceSelectors = Selectors(errors, allocation.NamespaceSelectors, $"{At}.namespaceSelectors"),
            ServiceSelectors = Selectors(errors, allocation.ServiceSelectors, $"{At}.serviceSelectors"),
        };
    }

    /// <summary>Converts and validates MetalLB's <c>L2Advertisement</c>: pool names, selectors and interface names.</summary>
    public L2Advertisement ConvertL2Advertisement(L2AdvertisementDocument advertisement, string ns, SourceLocation source)
    {
        var errors = Errors(L2Advertisement.KindName, ns, advertisement.Metadata?.Name ?? "", source);
        CheckMeta(errors, advertisement.Metadata, NameRules.Dns1123Subdomain);
        var spec = advertisement.Spec ?? new L2AdvertisementDocument.AdvertisementSpec();
        var pools = spec.IPAddressPools ?? [];
        CheckNameList(errors, pools, "spec.ipAddressPools", NameRules.Dns1123Subdomain);

        var interfaces = spec.Interfaces ?? [];
        for (var i = 0; i < interfaces.Count; i++)
        {
            var name = interfaces[i] ?? "";
            if (name.Length is 0 or > MaxInterfaceNameLength || name is "." or ".." || name.Any(c => c == '/' || c == ':' || char.IsWhiteSpace(c)))
            {
                errors.Invalid($"spec.interfaces[{i}]", name, $"must be a network interface name: 1-{MaxInterfaceNameLength} characters, no '/', ':' or whitespace");
            }
        }

        return new L2Advertisement
        {
            Meta = Meta(advertisement.Metadata, ns, source),
            IPAddressPools = new(pools.Select(p => p ?? "")),
            IPAddressPoolSelectors = Selectors(errors, spec.IPAddressPoolSelectors, "spec.ipAddressPoolSelectors"),
            NodeSelectors = Selectors(errors, spec.NodeSelectors, "spec.nodeSelectors"),
            Interfaces = new(interfaces.Select(n => n ?? "")),
        };
    }

    /// <summary>A list of object names: each valid by <paramref name="rule"/>, none twice (MetalLB refuses duplicates).</summary>
    private static void CheckNameList(FieldErrors errors, List<string> names, string path, Func<string, IReadOnlyList<string>> rule)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i] ?? "";
            foreach (var problem in rule(name))
            {
                errors.Invalid($"{path}[{i}]", name, problem);
            }

            if (!seen.Add(name))
            {
                errors.Duplicate($"{path}[{i}]", name);
            }
        }
    }

    private static EquatableArray<LabelSelector> Selectors(FieldErrors errors, List<k8s.Models.V1LabelSelector>? selectors, string path) =>
        new((selectors ?? []).Select((s, i) => Selector(errors, s, $"{path}[{i}]") ?? LabelSelector.Everything));
}
