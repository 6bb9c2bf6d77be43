using Maille.Model;

namespace Maille.Engine.LoadBalancing;

/// <summary>
/// Which Services hold which LoadBalancer addresses, and MetalLB's rule for adding one more to an address: every
/// holder allows sharing with the same key, the backend keys are equal (both Cluster policy, or the same selector
/// under Local, because an L2 announcement attracts every port of the address to one node), and no port is taken twice.
/// </summary>
internal sealed class AddressUsage
{
    private readonly Dictionary<uint, List<AddressClaim>> _holders = [];

    public bool IsUsed(uint address) => _holders.ContainsKey(address);

    public IReadOnlyList<AddressClaim> HoldersOf(uint address) => _holders.TryGetValue(address, out var list) ? list : [];

    /// <summary>Every address in use, lowest first.</summary>
    public IEnumerable<uint> Addresses => _holders.Keys.Order();

    public void Add(uint address, AddressClaim claim)
    {
        if (!_holders.TryGetValue(address, out var list))
        {
            _holders[address] = list = [];
        }

        list.Add(claim);
    }

    /// <summary>Why <paramref name="claim"/> may not use <paramref name="address"/>, or null when it may.</summary>
    public string? Conflict(uint address, AddressClaim claim)
    {
        var ip = IpMath.FromUInt32(address);
        foreach (var holder in HoldersOf(address).Where(h => h.Service != claim.Service))
        {
            if (holder.SharingKey is null)
            {
                return $"{ip} is used by {holder.Service}, which does not allow sharing";
            }

            if (claim.SharingKey is null)
            {
                return $"{ip} is used by {holder.Service}, and this Service does not allow sharing ({LoadBalancerAnnotations.AllowSharedIP} is not set)";
            }

            if (holder.SharingKey != claim.SharingKey)
            {
                return $"{ip} is used by {holder.Service} with sharing key \"{holder.SharingKey}\", not \"{claim.SharingKey}\"";
            }

            if (holder.BackendKey != claim.BackendKey)
            {
                return $"{ip} is used by {holder.Service}; sharing needs both Services on externalTrafficPolicy Cluster, or the same selector under Local (\"{holder.BackendKey}\" vs \"{claim.BackendKey}\")";
            }

            if (claim.Ports.Where(holder.Ports.Contains).Select(p => $"{p.Port}/{p.Protocol}").FirstOrDefault() is { } port)
            {
                return $"port {port} is already used on {ip} by {holder.Service}";
            }
        }

        return null;
    }
}
