namespace Maille.Model;

/// <summary>The workload a pod was generated from.</summary>
public sealed record OwnerRef(string Kind, string Name);
