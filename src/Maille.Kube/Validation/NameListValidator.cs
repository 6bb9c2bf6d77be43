using Maille.Engine.Validation;

namespace Maille.Kube.Validation;

/// <summary>A list of object names (MetalLB's namespaces and pool names): each valid by its rule, none twice (MetalLB refuses duplicates).</summary>
internal static class NameListValidator
{
    public static void Validate(FieldErrors errors, List<string> names, string path, Func<string, IReadOnlyList<string>> rule)
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
}
