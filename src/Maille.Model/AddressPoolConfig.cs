namespace Maille.Model;

/// <summary>A LoadBalancer address pool from the cluster configuration (CIDRs or <c>first-last</c> ranges).</summary>
public sealed record AddressPoolConfig(string Name, EquatableArray<string> Addresses);
