namespace Maille.Kube.Live;

/// <summary>What <see cref="LiveClusterReader"/> read: one source per object, notes on what was left out, or the error that stopped it.</summary>
public sealed record LiveClusterRead(IReadOnlyList<ManifestSource> Sources, IReadOnlyList<string> Notes, string? Error);
