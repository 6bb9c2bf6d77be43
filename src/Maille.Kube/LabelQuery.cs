namespace Maille.Kube;

/// <summary>
/// A label selector as the API's <c>labelSelector</c> parameter and <c>kubectl -l</c> write it: comma-separated
/// requirements, all of which must hold: <c>key</c> (exists), <c>!key</c>, <c>key=value</c> (or <c>==</c>),
/// <c>key!=value</c> (also true when the key is absent), <c>key in (a,b)</c>, <c>key notin (a,b)</c>.
/// </summary>
public sealed class LabelQuery
{
    private readonly IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> _requirements;

    private LabelQuery(IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> requirements) => _requirements = requirements;

    public static LabelQuery Everything { get; } = new([]);

    /// <summary>Whether the query selects every object (it has no requirement).</summary>
    public bool SelectsEverything => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r(labels));

    /// <exception cref="FormatException">Not a selector; the message is the API server's kind of message.</exception>
    public static LabelQuery Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        return new([.. Split(text).Select(Requirement)]);
    }

    private static IEnumerable<string> Split(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> Requirement(string raw)
    {
        var text = raw.Trim();
        if (text.Length == 0)
        {
            throw new FormatException($"unable to parse requirement: found '', expected: identifier");
        }

        if (text.StartsWith('!'))
        {
            var key = Key(text[1..].Trim(), raw);
            return labels => !labels.ContainsKey(key);
        }

        foreach (var (op, negate) in new[] { (" notin ", true), (" in ", false) })
        {
            var at = text.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = Key(text[..at].Trim(), raw);
                var list = text[(at + op.Length)..].Trim();
                if (!list.StartsWith('(') || !list.EndsWith(')'))
                {
                    throw new FormatException($"unable to parse requirement: {raw.Trim()}: expected a list of values in parentheses");
                }

                var values = list[1..^1].Split(',').Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
                return negate
                    ? labels => !labels.TryGetValue(key, out var value) || !values.Contains(value)
                    : labels => labels.TryGetValue(key, out var value) && values.Contains(value);
            }
        }

        foreach (var (op, negate) in new[] { ("!=", true), ("==", false), ("=", false) })
        {
            var at = text.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = Key(text[..at].Trim(), raw);
                var wanted = text[(at + op.Length)..].Trim();
                return negate
                    ? labels => !labels.TryGetValue(key, out var value) || value != wanted
                    : labels => labels.TryGetValue(key, out var value) && value == wanted;
            }
        }

        var exists = Key(text, raw);
        return labels => labels.ContainsKey(exists);
    }

    private static string Key(string key, string raw) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')
            ? key
            : throw new FormatException($"unable to parse requirement: {raw.Trim()}: invalid label key \"{key}\"");
}
