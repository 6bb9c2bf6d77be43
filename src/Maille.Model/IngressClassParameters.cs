namespace Maille.Model;

/// <summary>
/// An IngressClass's <c>spec.parameters</c>: the object that configures its controller. Maille's controller reads none,
/// but kubectl prints it (PARAMETERS), so it is kept as written.
/// </summary>
public sealed record IngressClassParameters(string? ApiGroup, string Kind, string Name, string? Scope, string? Namespace)
{
    /// <summary>kubectl's PARAMETERS cell: <c>Kind.apiGroup/name</c>, or <c>Kind/name</c> in the core group.</summary>
    public override string ToString() => $"{Kind}{(ApiGroup is { Length: > 0 } group ? "." + group : "")}/{Name}";
}
