namespace Maille.Kube;

/// <summary>
/// A field selector (the API's <c>fieldSelector</c>, <c>kubectl --field-selector</c>): comma-separated
/// <c>field=value</c>, <c>field==value</c> or <c>field!=value</c>, over the fields the API server lets each kind be
/// selected by: <c>metadata.name</c> and <c>metadata.namespace</c> for every kind, and for pods also
/// <c>spec.nodeName</c>, <c>spec.hostNetwork</c>, <c>spec.restartPolicy</c>, <c>spec.schedulerName</c>,
/// <c>spec.serviceAccountName</c>, <c>status.phase</c> and <c>status.podIP</c>; for events the object they are about
/// (<c>involvedObject.name</c>, <c>.namespace</c>, <c>.uid</c>, <c>.kind</c>: what <c>kubectl describe</c> asks) and
/// <c>reason</c>, <c>type</c>, <c>source</c> (the component) and <c>reportingComponent</c>; for Secrets <c>type</c>.
/// </summary>
public sealed class FieldQuery
{
    private static readonly string[] PodFields = ["spec.nodeName", "spec.hostNetwork", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP"];

    private static readonly string[] EventFields =
    [
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
        "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
    ];

    private readonly IReadOnlyList<(string Field, string Value, bool Negate)> _requirements;

    private FieldQuery(IReadOnlyList<(string Field, string Value, bool Negate)> requirements) => _requirements = requirements;

    public static FieldQuery Everything { get; } = new([]);

    /// <summary>Whether the query needs more than the object's name and namespace.</summary>
    public bool ReadsObject => _requirements.Any(r => !r.Field.StartsWith("metadata.", StringComparison.Ordinal));

    /// <param name="field">The value of a field by its path (<c>spec.nodeName</c>); null when the object has none.</param>
    public bool Matches(Func<string, string?> field) =>
        _requirements.All(r => (field(r.Field) ?? "") == r.Value != r.Negate);

    /// <exception cref="FormatException">Not a selector, or a field <paramref name="kind"/> cannot be selected by.</exception>
    public static FieldQuery Parse(string? text, string kind)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<(string, string, bool)>();
        foreach (var part in text.Split(','))
        {
            var (op, negate) = part.Contains("!=", StringComparison.Ordinal) ? ("!=", true) : part.Contains("==", StringComparison.Ordinal) ? ("==", false) : ("=", false);
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new FormatException($"invalid selector: '{text}'; can't understand '{part}'");
            }

            var field = part[..at].Trim();
            if (field is not ("metadata.name" or "metadata.namespace") && !(kind == "Pod" && PodFields.Contains(field)) && !(kind == "Event" && EventFields.Contains(field)) && !(kind == "Secret" && field == "type"))
            {
                throw new FormatException($"field label not supported: {field}");
            }

            requirements.Add((field, part[(at + op.Length)..].Trim(), negate));
        }

        return new(requirements);
    }
}
