namespace Maille.Engine.LoadBalancing;

/// <summary>
/// What MetalLB's controller writes in an IPAddressPool's <c>status</c>: the addresses the pool has given (an address
/// shared by several Services counts once) and those it can still give (buggy addresses excluded when the pool avoids
/// them). Maille allocates IPv4 only, so its IPv6 counts are 0.
/// </summary>
public sealed record PoolUsage(long AssignedIPv4, long AvailableIPv4, long AssignedIPv6, long AvailableIPv6);
