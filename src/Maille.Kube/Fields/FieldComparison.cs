namespace Maille.Kube.Fields;

/// <summary>The paths a write added, changed the value of, and removed (<see cref="ObjectFields.Compare(System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonObject, Type)"/>).</summary>
public sealed record FieldComparison(FieldSet Added, FieldSet Modified, FieldSet Removed)
{
    /// <summary>What the write set: added or modified.</summary>
    public FieldSet Changed => Added.Union(Modified);
}
