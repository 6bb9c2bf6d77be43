using System.Collections;
using System.Collections.Immutable;

namespace Maille.Model;

/// <summary>A set of labels (or annotations): ordered by key, compared by content.</summary>
public sealed class Labels : IEquatable<Labels>, IReadOnlyDictionary<string, string>
{
    private readonly ImmutableSortedDictionary<string, string> _entries;

    // The entries in key order, made once: walking an ImmutableSortedDictionary rents an enumerator stack each time,
    // and selectors are matched against labels hundreds of thousands of times when a large lab is planned.
    private KeyValuePair<string, string>[]? _pairs;

    private Labels(ImmutableSortedDictionary<string, string> entries) => _entries = entries;

    public static Labels Empty { get; } = new(ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal));

    public static Labels From(IEnumerable<KeyValuePair<string, string>>? entries) =>
        entries is null ? Empty : new(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, entries));

    public static Labels Of(params (string Key, string Value)[] entries) =>
        From(entries.Select(e => KeyValuePair.Create(e.Key, e.Value)));

    public Labels With(string key, string value) => new(_entries.SetItem(key, value));

    public string this[string key] => _entries[key];

    public IEnumerable<string> Keys => _entries.Keys;

    public IEnumerable<string> Values => _entries.Values;

    public int Count => _entries.Count;

    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) =>
        _entries.TryGetValue(key, out value);

    public string? Get(string key) => _entries.TryGetValue(key, out var value) ? value : null;

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _entries.GetEnumerator();

    /// <summary>The labels in key order.</summary>
    public ReadOnlySpan<KeyValuePair<string, string>> Pairs => _pairs ??= [.. _entries];

    /// <summary>Whether <paramref name="other"/> has every label of this set with the same value (a selector's test).</summary>
    public bool IsSubsetOf(Labels other)
    {
        foreach (var (key, value) in Pairs)
        {
            if (!other._entries.TryGetValue(key, out var theirs) || theirs != value)
            {
                return false;
            }
        }

        return true;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(Labels? other) =>
        other is not null && (ReferenceEquals(this, other) || (_entries.Count == other._entries.Count && _entries.SequenceEqual(other._entries)));

    public override bool Equals(object? obj) => obj is Labels other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in _entries)
        {
            hash.Add(key);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <summary>kubectl's rendering: <c>app=web,tier=front</c>, or <c>&lt;none&gt;</c>.</summary>
    public override string ToString() => _entries.Count == 0 ? "<none>" : string.Join(",", _entries.Select(e => $"{e.Key}={e.Value}"));
}
