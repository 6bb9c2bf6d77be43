namespace Maille.Kube.Fields;

/// <summary>A field an apply would change that another manager owns: the manager as the API server names it, and the field's path (<c>.spec.replicas</c>).</summary>
public sealed record FieldConflict(string Manager, string Field)
{
    /// <summary>The API server's message for a refused apply: one conflict on a line, several grouped by manager.</summary>
    public static string Message(IReadOnlyList<FieldConflict> conflicts)
    {
        if (conflicts is [var one])
        {
            return $"Apply failed with 1 conflict: conflict with {one.Manager}: {one.Field}";
        }

        var lines = conflicts.GroupBy(c => c.Manager).OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g.Select(c => $"- {c.Field}").Prepend($"conflicts with {g.Key}:"));
        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }
}
