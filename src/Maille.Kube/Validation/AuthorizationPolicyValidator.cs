using System.Globalization;
using System.Net;
using Maille.Engine.Validation;
using Maille.Kube.Mesh;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>
/// An Istio AuthorizationPolicy (<c>security.istio.io/v1</c>) as Istio validates it, for the part Maille models:
/// action ALLOW or DENY (CUSTOM and AUDIT refused), a selector of labels, rules whose <c>from</c> entries have a
/// non-empty <c>source</c> and whose <c>to</c> entries a non-empty <c>operation</c>, ports that are numbers in 0–65535,
/// ipBlocks that are addresses or CIDRs, no empty value and <c>*</c> only at the start or end of a string. What Maille
/// does not model is refused by name rather than ignored: <c>when</c>,
/// request principals, remote ipBlocks, service accounts and providers. HTTP attributes (methods, paths, hosts) are
/// accepted; in a policy that selects workloads they get Istio's own warning, since the node proxy cannot see them
/// (docs/mesh.md). <c>targetRefs</c> attach a policy to a waypoint Gateway or to a Service that uses one.
/// </summary>
internal static class AuthorizationPolicyValidator
{
    private static readonly string[] Actions = ["ALLOW", "DENY"];

    public static void Validate(AuthorizationPolicyDocument document, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate(MeshApi.AuthorizationPolicyKind, ns, document.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        var spec = document.Spec ?? new AuthorizationPolicyDocument.PolicySpec();
        TargetRefs(errors, ns, spec);
        if (spec.Provider is not null)
        {
            errors.Forbidden("spec.provider", "CUSTOM authorization (an external provider) is not supported");
        }

        var action = spec.Action ?? "ALLOW";
        if (!Actions.Contains(action, StringComparer.Ordinal))
        {
            errors.NotSupported("spec.action", action, Actions);
        }

        if (spec.Selector is { } selector)
        {
            ObjectMetaValidator.ValidateLabels(errors, selector.MatchLabels, "spec.selector.matchLabels");
        }

        var l7 = new SortedSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < (spec.Rules?.Count ?? 0); r++)
        {
            var at = $"spec.rules[{r}]";
            var rule = spec.Rules![r] ?? new AuthorizationPolicyDocument.Rule();
            if (rule.When is not null)
            {
                errors.Forbidden($"{at}.when", "conditions are not supported by Maille yet; express source.principal, source.namespace, source.ip and destination.port with from.source and to.operation");
            }

            for (var f = 0; f < (rule.From?.Count ?? 0); f++)
            {
                ValidateSource(errors, $"{at}.from[{f}].source", rule.From![f]?.Source);
            }

            for (var t = 0; t < (rule.To?.Count ?? 0); t++)
            {
                ValidateOperation(errors, $"{at}.to[{t}].operation", rule.To![t]?.Operation, l7);
            }
        }

        if (l7.Count > 0 && spec.TargetRefs is null && spec.TargetRef is null)
        {
            // Istio's own warning for a policy the node proxy enforces (pilot's ambient authorization conversion).
            errors.Warning("spec.rules", $"the node proxy does not see HTTP attributes (found: {string.Join(", ", l7)}); attach the policy to a waypoint with targetRefs for them: "
                + (action == "DENY"
                    ? "a DENY policy is enforced without its HTTP attributes, which denies more than requested"
                    : "within an ALLOW policy, rules with HTTP attributes never match, which allows less than requested"));
        }
    }

    /// <summary>
    /// <c>targetRefs</c> (or the older <c>targetRef</c>) as Istio validates them, for the targets a waypoint enforces: a
    /// Gateway (the waypoint) or a Service, by name, in the policy's namespace; not together with a selector.
    /// </summary>
    private static void TargetRefs(FieldErrors errors, string ns, AuthorizationPolicyDocument.PolicySpec spec)
    {
        if (spec.TargetRefs is not null && spec.TargetRef is not null)
        {
            errors.Forbidden("spec.targetRef", "only one of targetRefs or targetRef can be set");
        }

        if (spec.Selector is not null && (spec.TargetRefs is not null || spec.TargetRef is not null))
        {
            errors.Forbidden("spec.selector", "only one of targetRefs or selector can be set: a selector picks the workloads whose node proxies enforce the policy, targetRefs the waypoint or Services");
        }

        var refs = spec.TargetRefs is not null
            ? spec.TargetRefs.Select((t, i) => (At: $"spec.targetRefs[{i}]", Ref: t))
            : spec.TargetRef is not null ? [("spec.targetRef", spec.TargetRef)] : [];
        foreach (var (at, target) in refs)
        {
            var group = target?.Group ?? "";
            var kind = target?.Kind ?? "";
            if ((group, kind) is not ((GatewayApi.Group, GatewayApi.GatewayKind) or ("", "Service")))
            {
                errors.Invalid($"{at}.kind", kind, $"a policy at a waypoint targets a Gateway (group {GatewayApi.Group}) or a Service (group \"\"); found group \"{group}\"");
            }

            if (string.IsNullOrEmpty(target?.Name))
            {
                errors.Required($"{at}.name", "a target needs a name");
            }

            if (!string.IsNullOrEmpty(target?.Namespace) && target.Namespace != ns)
            {
                errors.Invalid($"{at}.namespace", target.Namespace, "cross namespace referencing is not currently supported");
            }
        }
    }

    private static void ValidateSource(FieldErrors errors, string at, AuthorizationPolicyDocument.Source? source)
    {
        if (source is null)
        {
            errors.Required(at, "`from.source` must not be nil");
            return;
        }

        foreach (var (field, values) in new[]
        {
            ("requestPrincipals", source.RequestPrincipals), ("notRequestPrincipals", source.NotRequestPrincipals),
            ("remoteIpBlocks", source.RemoteIpBlocks), ("notRemoteIpBlocks", source.NotRemoteIpBlocks),
        })
        {
            if (values is not null)
            {
                errors.Forbidden($"{at}.{field}", "request authentication (JWT) and remote addresses are HTTP attributes a waypoint sees, not modelled by Maille yet");
            }
        }

        foreach (var (field, values) in new[] { ("serviceAccounts", source.ServiceAccounts), ("notServiceAccounts", source.NotServiceAccounts) })
        {
            if (values is not null)
            {
                errors.Forbidden($"{at}.{field}", "not supported by Maille yet; write the principal cluster.local/ns/NS/sa/SA instead");
            }
        }

        var written = new[] { source.Principals, source.NotPrincipals, source.Namespaces, source.NotNamespaces, source.IpBlocks, source.NotIpBlocks };
        if (written.All(v => v is null || v.Count == 0) && source.RequestPrincipals is null && source.RemoteIpBlocks is null && source.ServiceAccounts is null)
        {
            errors.Required(at, "`from.source` must not be empty");
        }

        Strings(errors, $"{at}.principals", source.Principals);
        Strings(errors, $"{at}.notPrincipals", source.NotPrincipals);
        Strings(errors, $"{at}.namespaces", source.Namespaces);
        Strings(errors, $"{at}.notNamespaces", source.NotNamespaces);
        Addresses(errors, $"{at}.ipBlocks", source.IpBlocks);
        Addresses(errors, $"{at}.notIpBlocks", source.NotIpBlocks);
    }

    private static void ValidateOperation(FieldErrors errors, string at, AuthorizationPolicyDocument.Operation? operation, SortedSet<string> l7)
    {
        if (operation is null)
        {
            errors.Required(at, "`to.operation` must not be nil");
            return;
        }

        var fields = new (string Name, List<string?>? Values)[]
        {
            ("hosts", operation.Hosts), ("notHosts", operation.NotHosts), ("methods", operation.Methods), ("notMethods", operation.NotMethods),
            ("paths", operation.Paths), ("notPaths", operation.NotPaths),
        };
        if (fields.All(f => f.Values is null || f.Values.Count == 0) && (operation.Ports?.Count ?? 0) == 0 && (operation.NotPorts?.Count ?? 0) == 0)
        {
            errors.Required(at, "`to.operation` must not be empty");
        }

        Ports(errors, $"{at}.ports", operation.Ports);
        Ports(errors, $"{at}.notPorts", operation.NotPorts);
        foreach (var (name, values) in fields)
        {
            Strings(errors, $"{at}.{name}", values);
            if (values is { Count: > 0 })
            {
                l7.Add(name);
            }
        }
    }

    /// <summary>Istio's string match: no empty value, <c>*</c> alone, at the start or at the end.</summary>
    private static void Strings(FieldErrors errors, string at, List<string?>? values)
    {
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            var value = values![i] ?? "";
            if (value.Length == 0)
            {
                errors.Invalid($"{at}[{i}]", value, "empty value not allowed");
            }
            else if (value.Length > 1 && value.IndexOf('*', 1) is var star and >= 0 && star < value.Length - 1)
            {
                errors.Invalid($"{at}[{i}]", value, "wildcard `*` is only supported alone, as a prefix or as a suffix");
            }
        }
    }

    private static void Ports(FieldErrors errors, string at, List<string?>? values)
    {
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            var value = values![i] ?? "";
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            {
                errors.Invalid($"{at}[{i}]", value, "invalid port: a number from 0 to 65535");
            }
        }
    }

    private static void Addresses(FieldErrors errors, string at, List<string?>? values)
    {
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            var value = values![i] ?? "";
            if (!(value.Contains('/', StringComparison.Ordinal) ? IpBlock.TryParse(value) is not null : IPAddress.TryParse(value, out _)))
            {
                errors.Invalid($"{at}[{i}]", value, "invalid IP address or CIDR range");
            }
        }
    }
}
