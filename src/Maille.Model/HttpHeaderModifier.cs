namespace Maille.Model;

/// <summary>Headers to set (replace), add (append) and remove.</summary>
public sealed record HttpHeaderModifier
{
    public EquatableArray<HttpHeader> Set { get; init; } = EquatableArray<HttpHeader>.Empty;

    public EquatableArray<HttpHeader> Add { get; init; } = EquatableArray<HttpHeader>.Empty;

    public EquatableArray<string> Remove { get; init; } = EquatableArray<string>.Empty;
}
