using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Maille.Kube.Fields;

/// <summary>What a server-side apply gives: the object and its managed fields, or the conflicts that refuse it (the object is then null).</summary>
public sealed record ApplyOutcome(JsonObject? Object, ImmutableArray<ManagedFieldsEntry> ManagedFields, IReadOnlyList<FieldConflict> Conflicts);
