namespace Maille.Kube.Schema;

/// <summary>
/// A field's strategic-merge-patch tags: a list merged by <see cref="MergeKey"/>, a list of values merged as a set
/// (<see cref="MergeValues"/>), or replaced whole; <see cref="RetainKeys"/> when a patch's <c>$retainKeys</c> applies.
/// </summary>
internal sealed record PatchStrategy(bool Merge, string? MergeKey, bool RetainsKeys)
{
    public static PatchStrategy Replace { get; } = new(false, null, false);

    public static PatchStrategy MergeValues { get; } = new(true, null, false);

    public static PatchStrategy RetainKeys { get; } = new(false, null, true);

    public static PatchStrategy MergeBy(string key, bool retainKeys = false) => new(true, key, retainKeys);

    /// <summary>The tag as the API's OpenAPI writes it in <c>x-kubernetes-patch-strategy</c> (null when none).</summary>
    public string? Tag => (Merge, RetainsKeys) switch
    {
        (true, true) => "merge,retainKeys",
        (true, false) => "merge",
        (false, true) => "retainKeys",
        _ => null,
    };
}
