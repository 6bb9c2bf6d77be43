namespace Maille.Model;

/// <summary>The URLRewrite filter: a new Host and/or path for the request the backend receives.</summary>
public sealed record HttpUrlRewrite(string? Hostname, HttpPathModifier? Path);
