namespace Maille.Model;

/// <summary>A header or query-parameter match: Exact (the default) or RegularExpression.</summary>
public sealed record HttpValueMatch(string Type, string Name, string Value);
