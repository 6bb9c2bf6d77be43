using System.Globalization;
using Maille.Kube.Mesh;
using Maille.Model;

namespace Maille.Kube;

/// <summary>Istio's AuthorizationPolicy and PeerAuthentication (<c>security.istio.io/v1</c>) onto the model.</summary>
internal static partial class ModelConverter
{
    public static AuthorizationPolicy ConvertAuthorizationPolicy(AuthorizationPolicyDocument document, string ns, SourceLocation source)
    {
        var spec = document.Spec ?? new AuthorizationPolicyDocument.PolicySpec();
        return new AuthorizationPolicy
        {
            Meta = Meta(document.Metadata, ns, source),

            // An unknown action (refused by validation) is read as DENY, failing closed.
            Action = spec.Action is null or "ALLOW" ? AuthorizationAction.Allow : AuthorizationAction.Deny,
            Selector = WorkloadSelector(spec.Selector),
            TargetRefs = new((spec.TargetRefs ?? (spec.TargetRef is { } single ? [single] : []))
                .Select(t => new PolicyTargetRef(t?.Group ?? "", t?.Kind ?? "", t?.Name ?? ""))),
            Rules = new((spec.Rules ?? []).Select(rule => new AuthorizationRule
            {
                From = new((rule?.From ?? []).Select(from => from?.Source ?? new AuthorizationPolicyDocument.Source()).Select(s => new AuthorizationSource
                {
                    Principals = Texts(s.Principals),
                    NotPrincipals = Texts(s.NotPrincipals),
                    Namespaces = Texts(s.Namespaces),
                    NotNamespaces = Texts(s.NotNamespaces),
                    IpBlocks = Texts(s.IpBlocks),
                    NotIpBlocks = Texts(s.NotIpBlocks),
                })),
                To = new((rule?.To ?? []).Select(to => to?.Operation ?? new AuthorizationPolicyDocument.Operation()).Select(o => new AuthorizationOperation
                {
                    Ports = PortNumbers(o.Ports),
                    NotPorts = PortNumbers(o.NotPorts),
                    Methods = Texts(o.Methods),
                    NotMethods = Texts(o.NotMethods),
                    Paths = Texts(o.Paths),
                    NotPaths = Texts(o.NotPaths),
                    Hosts = Texts(o.Hosts),
                    NotHosts = Texts(o.NotHosts),
                })),
            })),
        };
    }

    public static PeerAuthentication ConvertPeerAuthentication(PeerAuthenticationDocument document, string ns, SourceLocation source)
    {
        var spec = document.Spec ?? new PeerAuthenticationDocument.PeerAuthenticationSpec();
        return new PeerAuthentication
        {
            Meta = Meta(document.Metadata, ns, source),
            Selector = WorkloadSelector(spec.Selector),
            Mode = MtlsModeOf(spec.Mtls?.Mode),
            PortLevel = new((spec.PortLevelMtls ?? [])
                .Select(entry => (Ok: int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var port), Port: port, entry.Value))
                .Where(entry => entry.Ok)
                .OrderBy(entry => entry.Port)
                .Select(entry => new PortMtls(entry.Port, MtlsModeOf(entry.Value?.Mode)))),
        };
    }

    private static MtlsMode MtlsModeOf(string? mode) => mode switch
    {
        "STRICT" => MtlsMode.Strict,
        "PERMISSIVE" => MtlsMode.Permissive,
        "DISABLE" => MtlsMode.Disable,
        _ => MtlsMode.Unset,
    };

    /// <summary>Istio reads an absent selector and one without labels alike: the whole namespace.</summary>
    private static Labels? WorkloadSelector(WorkloadSelectorDocument? selector) =>
        selector?.MatchLabels is { Count: > 0 } labels ? Labels.From(labels) : null;

    private static EquatableArray<string> Texts(List<string?>? values) => new((values ?? []).Select(v => v ?? ""));

    /// <summary>Ports that parse (validation reports the others).</summary>
    private static EquatableArray<int> PortNumbers(List<string?>? values) =>
        new((values ?? []).Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535 ? port : -1).Where(p => p >= 0));
}
