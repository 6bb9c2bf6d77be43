namespace Maille.Model;

/// <summary>A path match: Exact, PathPrefix or RegularExpression (the type kept as text so validation can name a bad one).</summary>
public sealed record HttpPathMatch(string Type, string Value)
{
    public static HttpPathMatch Default { get; } = new("PathPrefix", "/");
}
