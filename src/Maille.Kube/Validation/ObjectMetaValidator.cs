using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>
/// ValidateObjectMeta, the start of every kind's validation: the object's name by the kind's own rule, its labels and
/// its annotation keys. It also opens the object's <see cref="FieldErrors"/>, so every error names file, line and object.
/// </summary>
internal static class ObjectMetaValidator
{
    public static FieldErrors Validate(
        string kind, string? ns, V1ObjectMeta? meta, Func<string, IReadOnlyList<string>> nameRule, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = new FieldErrors(new ObjectRef(kind, ns, meta?.Name ?? ""), source, diagnostics);
        if (string.IsNullOrEmpty(meta?.Name))
        {
            errors.Required("metadata.name", "name or generateName is required");
        }
        else
        {
            foreach (var problem in nameRule(meta.Name))
            {
                errors.Invalid("metadata.name", meta.Name, problem);
            }
        }

        ValidateLabels(errors, meta?.Labels, "metadata.labels");
        foreach (var key in meta?.Annotations?.Keys ?? [])
        {
            // Annotation keys are qualified names where case does not matter: the API server lowercases before checking.
            foreach (var problem in NameRules.QualifiedName(key.ToLowerInvariant()))
            {
                errors.InvalidAt("metadata.annotations", $"metadata.annotations[{key}]", key, problem);
            }
        }

        return errors;
    }

    /// <summary>A label map (object labels, a selector's matchLabels, a Service selector): qualified keys, label values.</summary>
    public static void ValidateLabels(FieldErrors errors, IDictionary<string, string>? labels, string path)
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
}
