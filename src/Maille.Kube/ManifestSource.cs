namespace Maille.Kube;

/// <summary>One input text and the name to report it by (a path relative to where the user pointed, or <c>-</c>).</summary>
public sealed record ManifestSource(string Name, string Text);
