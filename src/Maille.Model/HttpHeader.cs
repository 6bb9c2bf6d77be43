namespace Maille.Model;

/// <summary>A header name and value.</summary>
public sealed record HttpHeader(string Name, string Value);
