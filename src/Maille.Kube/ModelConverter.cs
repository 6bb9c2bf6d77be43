using System.Globalization;
using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube;

/// <summary>
/// The KubernetesClient boundary: turns <c>V1*</c> objects into Maille's immutable model, checking each field on the
/// way with Kubernetes' own rules. Client types never travel further than this class.
/// </summary>
internal sealed partial class ModelConverter(List<Diagnostic> diagnostics)
{
    /// <summary>Core's list (<c>sets.List</c>, so sorted); NetworkPolicy spells its own, see <see cref="NetworkPolicyProtocols"/>.</summary>
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    private FieldErrors Errors(string kind, string? ns, string name, SourceLocation source) =>
        new(new ObjectRef(kind, ns, name), source, diagnostics);

    private static ObjectMeta Meta(V1ObjectMeta? meta, string? ns, SourceLocation source) => new()
    {
        Name = meta?.Name ?? "",
        Namespace = ns,
        Labels = Labels.From(meta?.Labels),
        Annotations = Labels.From(meta?.Annotations),
        DeletionTimestamp = meta?.DeletionTimestamp is { } deleted ? new DateTimeOffset(DateTime.SpecifyKind(deleted, DateTimeKind.Utc)) : null,
        CreationTimestamp = meta?.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
        Uid = string.IsNullOrEmpty(meta?.Uid) ? null : meta.Uid,
        Source = source,
    };

    /// <summary>Checks name, labels and annotations; <paramref name="nameRule"/> is the kind's own name rule.</summary>
    private static void CheckMeta(FieldErrors errors, V1ObjectMeta? meta, Func<string, IReadOnlyList<string>> nameRule, string path = "metadata")
    {
        if (string.IsNullOrEmpty(meta?.Name))
        {
            if (path == "metadata")
            {
                errors.Required($"{path}.name", "name or generateName is required");
            }
        }
        else
        {
            foreach (var problem in nameRule(meta.Name))
            {
                errors.Invalid($"{path}.name", meta.Name, problem);
            }
        }

        CheckLabels(errors, meta?.Labels, $"{path}.labels");
        foreach (var key in meta?.Annotations?.Keys ?? [])
        {
            // Annotation keys are qualified names where case does not matter: the API server lowercases before checking.
            foreach (var problem in NameRules.QualifiedName(key.ToLowerInvariant()))
            {
                errors.InvalidAt($"{path}.annotations", $"{path}.annotations[{key}]", key, problem);
            }
        }
    }

    private static void CheckLabels(FieldErrors errors, IDictionary<string, string>? labels, string path)
    {
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            // Kubernetes names only the map (metadata.labels); the line is the offending key's.
            foreach (var problem in NameRules.QualifiedName(key))
            {
                errors.InvalidAt(path, $"{path}[{key}]", key, problem);
            }

            foreach (var problem in NameRules.LabelValue(value ?? ""))
            {
                errors.InvalidAt(path, $"{path}[{key}]", value ?? "", problem);
            }
        }
    }

    private static LabelSelector? Selector(FieldErrors errors, V1LabelSelector? selector, string path)
    {
        if (selector is null)
        {
            return null;
        }

        CheckLabels(errors, selector.MatchLabels, $"{path}.matchLabels");
        var requirements = new List<LabelSelectorRequirement>();
        var expressions = selector.MatchExpressions ?? [];
        for (var i = 0; i < expressions.Count; i++)
        {
            var expression = expressions[i];
            var at = $"{path}.matchExpressions[{i}]";
            SelectorOperator? op = expression.OperatorProperty switch
            {
                "In" => SelectorOperator.In,
                "NotIn" => SelectorOperator.NotIn,
                "Exists" => SelectorOperator.Exists,
                "DoesNotExist" => SelectorOperator.DoesNotExist,
                _ => null,
            };
            var values = expression.Values ?? [];
            switch (op)
            {
                case null:
                    errors.Invalid($"{at}.operator", expression.OperatorProperty ?? "", "not a valid selector operator");
                    break;
                case SelectorOperator.In or SelectorOperator.NotIn when values.Count == 0:
                    errors.Required($"{at}.values", "must be specified when `operator` is 'In' or 'NotIn'");
                    break;
                case SelectorOperator.Exists or SelectorOperator.DoesNotExist when values.Count > 0:
                    errors.Forbidden($"{at}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    break;
                default:
                    break;
            }

            // After the operator, as apimachinery's ValidateLabelSelectorRequirement orders its errors.
            foreach (var problem in NameRules.QualifiedName(expression.Key ?? ""))
            {
                errors.Invalid($"{at}.key", expression.Key ?? "", problem);
            }

            for (var v = 0; v < values.Count; v++)
            {
                foreach (var problem in NameRules.LabelValue(values[v] ?? ""))
                {
                    errors.Invalid($"{at}.values[{v}]", values[v], problem);
                }
            }

            requirements.Add(new LabelSelectorRequirement(expression.Key ?? "", op, new EquatableArray<string>(values), expression.OperatorProperty ?? ""));
        }

        return new LabelSelector { MatchLabels = Labels.From(selector.MatchLabels), MatchExpressions = new(requirements) };
    }

    private static Protocol ProtocolOf(FieldErrors errors, string? protocol, string path, string[]? supported = null)
    {
        switch (protocol)
        {
            case null or "" or "TCP":
                return Protocol.TCP;
            case "UDP":
                return Protocol.UDP;
            case "SCTP":
                return Protocol.SCTP;
            default:
                errors.NotSupported(path, protocol, supported ?? Protocols);
                return Protocol.TCP;
        }
    }

    private static void CheckPortNumber(FieldErrors errors, int port, string path)
    {
        if (!NameRules.IsValidPortNumber(port))
        {
            errors.Invalid(path, port, NameRules.PortRangeMessage);
        }
    }

    /// <summary>Reads an IntOrString port: a number in range, or a valid IANA port name.</summary>
    private static PortRef? PortRefOf(FieldErrors errors, IntOrString? value, string path)
    {
        if (value?.Value is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            CheckPortNumber(errors, number, path);
            return PortRef.FromNumber(number);
        }

        foreach (var problem in NameRules.PortName(text))
        {
            errors.Invalid(path, text, problem);
        }

        return PortRef.FromName(text);
    }

    /// <summary>
    /// Parses an IP address the way Go's net.ParseIP does: four dotted parts for IPv4. .NET alone would also take
    /// "10.1" or "7" as IPv4 shorthand, which Kubernetes rejects (and which, as an Ingress host, is a DNS name).
    /// </summary>
    private static System.Net.IPAddress? Address(string? text)
    {
        if (string.IsNullOrEmpty(text) || !System.Net.IPAddress.TryParse(text, out var address))
        {
            return null;
        }

        return text.Contains(':', StringComparison.Ordinal) || DottedQuad().IsMatch(text) ? address : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9]{1,3}(\.[0-9]{1,3}){3}$")]
    private static partial System.Text.RegularExpressions.Regex DottedQuad();
}
