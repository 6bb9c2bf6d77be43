namespace Maille.Model;

/// <summary>
/// A label selector: <c>matchLabels</c> and <c>matchExpressions</c>, all ANDed. An empty selector
/// matches everything; whether an absent one means "nothing" or "everything" is the caller's rule.
/// </summary>
public sealed record LabelSelector
{
    public static LabelSelector Everything { get; } = new();

    public Labels MatchLabels { get; init; } = Labels.Empty;

    public EquatableArray<LabelSelectorRequirement> MatchExpressions { get; init; } = EquatableArray<LabelSelectorRequirement>.Empty;

    public bool IsEmpty => MatchLabels.Count == 0 && MatchExpressions.IsEmpty;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in MatchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var requirement in MatchExpressions)
        {
            var present = labels.TryGetValue(requirement.Key, out var actual);
            var ok = requirement.Operator switch
            {
                SelectorOperator.In => present && requirement.Values.Contains(actual!),
                SelectorOperator.NotIn => !present || !requirement.Values.Contains(actual!),
                SelectorOperator.Exists => present,
                SelectorOperator.DoesNotExist => !present,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>kubectl's rendering, e.g. <c>app=web,tier in (a,b)</c>.</summary>
    public override string ToString()
    {
        if (IsEmpty)
        {
            return "<none>";
        }

        var parts = MatchLabels.Select(l => $"{l.Key}={l.Value}").Concat(MatchExpressions.Select(e => e.Operator switch
        {
            SelectorOperator.In => $"{e.Key} in ({string.Join(",", e.Values)})",
            SelectorOperator.NotIn => $"{e.Key} notin ({string.Join(",", e.Values)})",
            SelectorOperator.Exists => e.Key,
            SelectorOperator.DoesNotExist => $"!{e.Key}",
            _ => $"{e.Key} {e.RawOperator} ({string.Join(",", e.Values)})",
        }));
        return string.Join(",", parts);
    }
}
