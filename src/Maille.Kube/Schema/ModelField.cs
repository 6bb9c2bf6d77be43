namespace Maille.Kube.Schema;

/// <summary>One field of a model type: its JSON name, its C# type (nullable for optional scalars), the type that holds it and its C# property's name.</summary>
public sealed record ModelField(string Name, Type Type, Type Owner, string PropertyName)
{
    /// <summary>The field's type without <see cref="Nullable{T}"/>.</summary>
    public Type ValueType => Nullable.GetUnderlyingType(Type) ?? Type;
}
