using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Maille.Kube.Fields;

/// <summary>
/// Managed fields as the API server keeps them (structured-merge-diff's <c>Updater</c>): an <c>Update</c> (create,
/// replace, patch, scale, label) gives its manager the fields it set and takes them from every other manager; an
/// <c>Apply</c> merges a configuration into the object, owns exactly the fields that configuration sets, removes the
/// ones it set before and no longer does (unless another manager owns them), and is refused with conflicts when it
/// would change a field another manager owns, unless forced.
/// </summary>
public static class FieldManager
{
    /// <summary>Fields the server owns, which no manager does (the API server's stripped metadata, and status).</summary>
    private static readonly IReadOnlyList<IReadOnlyList<string>> ServerOwned =
    [
        ["f:apiVersion"], ["f:kind"], ["f:status"],
        .. new[] { "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink" }
            .Select(f => (IReadOnlyList<string>)["f:metadata", FieldSet.Field(f)]),
    ];

    /// <summary>The managed fields after <paramref name="writer"/> changed the object from <paramref name="before"/> (empty for a create) to <paramref name="after"/>.</summary>
    /// <exception cref="FormatException">A list merged by key holds an item without its key.</exception>
    public static ImmutableArray<ManagedFieldsEntry> Update(ImmutableArray<ManagedFieldsEntry> entries, JsonObject before, JsonObject after, Type? type, FieldWriter writer)
    {
        var comparison = Compare(before, after, type);
        var mine = entries.FirstOrDefault(e => e.IsOf(writer, ManagedFieldsEntry.Update));
        var fields = (mine?.Fields ?? FieldSet.Empty).Except(comparison.Removed).Union(comparison.Changed);
        return Settle(entries, mine, comparison.Changed.Union(comparison.Removed), fields, ManagedFieldsEntry.Update, writer);
    }

    /// <summary>
    /// Server-side apply of <paramref name="config"/> to <paramref name="live"/> (empty when the object does not exist
    /// yet) by <paramref name="writer"/>; <paramref name="force"/> takes the conflicting fields from their managers.
    /// </summary>
    /// <exception cref="FormatException">A list merged by key holds an item without its key.</exception>
    public static ApplyOutcome Apply(ImmutableArray<ManagedFieldsEntry> entries, JsonObject live, JsonObject config, Type? type, FieldWriter writer, bool force)
    {
        var applied = ObjectFields.Of(config, type).Without(ServerOwned);
        var mine = entries.FirstOrDefault(e => e.IsOf(writer, ManagedFieldsEntry.Apply));
        var others = entries.Where(e => e != mine).ToList();
        var merged = ObjectFields.Merge(live, config, type);
        if (mine is not null)
        {
            // What this manager applied before and applies no more goes, unless another manager still owns it or
            // something under it (a list whose items are still applied is kept, though its own path is no one's now).
            var kept = others.Aggregate(applied, (all, other) => all.Union(other.Fields));
            var dropped = mine.Fields.Except(kept).WithoutAncestorsOf(kept);
            merged = ObjectFields.Remove(merged, dropped, type);
        }

        var comparison = Compare(live, merged, type);
        var conflicts = others
            .SelectMany(o => o.Fields.Intersect(comparison.Changed).Paths.Select(p => new FieldConflict(o.Display, FieldSet.Display(p))))
            .ToList();
        if (conflicts.Count > 0 && !force)
        {
            return new ApplyOutcome(null, entries, conflicts);
        }

        return new ApplyOutcome(merged, Settle(entries, mine, comparison.Changed.Union(comparison.Removed), applied, ManagedFieldsEntry.Apply, writer), []);
    }

    /// <summary>The entries as JSON (<c>metadata.managedFields</c>).</summary>
    public static JsonArray ToJson(IEnumerable<ManagedFieldsEntry> entries) => new([.. entries.Select(e => (JsonNode)e.ToJson())]);

    /// <exception cref="FormatException">Not a list of managed fields entries.</exception>
    public static ImmutableArray<ManagedFieldsEntry> FromJson(JsonNode? json) =>
        json is JsonArray list ? [.. list.Select(ManagedFieldsEntry.FromJson)] : throw new FormatException("managedFields must be a list");

    private static FieldComparison Compare(JsonObject before, JsonObject after, Type? type)
    {
        var comparison = ObjectFields.Compare(before, after, type);
        return new FieldComparison(comparison.Added.Without(ServerOwned), comparison.Modified.Without(ServerOwned), comparison.Removed.Without(ServerOwned));
    }

    /// <summary>
    /// Every other manager loses <paramref name="taken"/>; the writer's entry holds <paramref name="fields"/>, in its
    /// place (a new one last), with a new time only when its fields changed. Entries left empty go.
    /// </summary>
    private static ImmutableArray<ManagedFieldsEntry> Settle(ImmutableArray<ManagedFieldsEntry> entries, ManagedFieldsEntry? mine, FieldSet taken, FieldSet fields, string operation, FieldWriter writer)
    {
        var own = mine is not null && mine.Fields.Equals(fields) ? mine
            : new ManagedFieldsEntry(writer.Manager, operation, writer.ApiVersion, writer.Time, writer.Subresource, fields);
        var result = ImmutableArray.CreateBuilder<ManagedFieldsEntry>();
        foreach (var entry in entries)
        {
            var kept = entry == mine ? own : entry.Fields.Intersect(taken).IsEmpty ? entry : entry with { Fields = entry.Fields.Except(taken) };
            if (!kept.Fields.IsEmpty)
            {
                result.Add(kept);
            }
        }

        if (mine is null && !own.Fields.IsEmpty)
        {
            result.Add(own);
        }

        return result.ToImmutable();
    }
}
