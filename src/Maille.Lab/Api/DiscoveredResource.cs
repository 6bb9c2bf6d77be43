namespace Maille.Lab.Api;

/// <summary>
/// One entry of a group version's discovery: a resource, or a subresource (<see cref="Subresource"/> set, as
/// <c>pods/exec</c>), with what a client needs to call it. Written both as the legacy <c>APIResourceList</c> and as
/// aggregated discovery (<see cref="AggregatedDiscovery"/>), so the two never disagree.
/// </summary>
/// <param name="ResponseGroup">The group of <see cref="Kind"/> when it differs from the resource's (a Scale is autoscaling/v1).</param>
public sealed record DiscoveredResource(
    string Resource,
    string? Subresource,
    string Singular,
    bool Namespaced,
    string Kind,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ShortNames,
    string? ResponseGroup = null,
    string? ResponseVersion = null)
{
    /// <summary>The name in a legacy list: <c>pods</c>, or <c>pods/exec</c> for a subresource.</summary>
    public string LegacyName => Subresource is null ? Resource : $"{Resource}/{Subresource}";
}
