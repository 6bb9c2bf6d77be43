using Maille.Engine.Validation;
using Maille.Kube.MetalLb;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>
/// MetalLB's <c>IPAddressPool</c>: every address entry a CIDR or a FIRST-LAST range (IPv6 accepted with a warning), and
/// the service allocation's priority, namespaces and selectors. Checks across pools (overlaps, node addresses) are
/// made when planning (LoadBalancerPools).
/// </summary>
internal static class IPAddressPoolValidator
{
    public static void Validate(IPAddressPoolDocument pool, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate(IPAddressPool.KindName, ns, pool.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
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

        if (spec.ServiceAllocation is not { } allocation)
        {
            return;
        }

        const string At = "spec.serviceAllocation";
        if (allocation.Priority is < 0)
        {
            errors.Invalid($"{At}.priority", allocation.Priority.Value, "must be greater than or equal to 0");
        }

        NameListValidator.Validate(errors, allocation.Namespaces ?? [], $"{At}.namespaces", NameRules.Dns1123Label);
        LabelSelectorValidator.ValidateEach(errors, allocation.NamespaceSelectors, $"{At}.namespaceSelectors");
        LabelSelectorValidator.ValidateEach(errors, allocation.ServiceSelectors, $"{At}.serviceSelectors");
    }
}
