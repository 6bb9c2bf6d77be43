namespace Maille.Dataplane.Linux.Nftables;

/// <summary>The outcome of one libnftables call: success, what it printed, and its error messages (with line and column).</summary>
public sealed record NftResult(bool Succeeded, string Output, string Error);
