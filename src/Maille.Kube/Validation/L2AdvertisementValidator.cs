using Maille.Engine.Validation;
using Maille.Kube.MetalLb;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>MetalLB's <c>L2Advertisement</c>: pool names, interface names, pool and node selectors.</summary>
internal static class L2AdvertisementValidator
{
    /// <summary>Linux's limit on an interface name (IFNAMSIZ - 1).</summary>
    private const int MaxInterfaceNameLength = 15;

    public static void Validate(L2AdvertisementDocument advertisement, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate(L2Advertisement.KindName, ns, advertisement.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        var spec = advertisement.Spec ?? new L2AdvertisementDocument.AdvertisementSpec();
        NameListValidator.Validate(errors, spec.IPAddressPools ?? [], "spec.ipAddressPools", NameRules.Dns1123Subdomain);

        var interfaces = spec.Interfaces ?? [];
        for (var i = 0; i < interfaces.Count; i++)
        {
            var name = interfaces[i] ?? "";
            if (name.Length is 0 or > MaxInterfaceNameLength || name is "." or ".." || name.Any(c => c == '/' || c == ':' || char.IsWhiteSpace(c)))
            {
                errors.Invalid($"spec.interfaces[{i}]", name, $"must be a network interface name: 1-{MaxInterfaceNameLength} characters, no '/', ':' or whitespace");
            }
        }

        LabelSelectorValidator.ValidateEach(errors, spec.IPAddressPoolSelectors, "spec.ipAddressPoolSelectors");
        LabelSelectorValidator.ValidateEach(errors, spec.NodeSelectors, "spec.nodeSelectors");
    }
}
