using System.Collections.Frozen;
using System.Net;
using Maille.Model;

namespace Maille.Engine.LoadBalancing;

/// <summary>
/// The load balancer's part of a planned cluster: the pools and L2 advertisements in force (the input's, or the ones
/// made from the cluster configuration) and one allocation per LoadBalancer Service.
/// </summary>
public sealed class LoadBalancerPlan
{
    public LoadBalancerPlan(IEnumerable<IPAddressPool> pools, IEnumerable<L2Advertisement> advertisements, IEnumerable<LoadBalancerAllocation> allocations)
    {
        Pools = [.. pools.OrderBy(p => p.Name, StringComparer.Ordinal)];
        Advertisements = [.. advertisements.OrderBy(a => a.Meta.QualifiedName, StringComparer.Ordinal)];
        Allocations = [.. allocations.OrderBy(a => a.Service, StringComparer.Ordinal)];
        ByService = Allocations.ToFrozenDictionary(a => a.Service, StringComparer.Ordinal);
        Spaces = [.. Pools.Select(p => new PoolAddresses(p))];
    }

    public static LoadBalancerPlan Empty { get; } = new([], [], []);

    /// <summary>
    /// The plan a cluster's objects already hold, for a node agent that announces and never allocates: the pools and
    /// advertisements in force (<paramref name="manifests"/>', else the configuration's) and the addresses the
    /// controller wrote into Services' status. A Service still waiting for an address has no allocation here.
    /// </summary>
    public static LoadBalancerPlan Observed(ManifestSet manifests, ClusterConfig config, IReadOnlyList<Service> services, IReadOnlyList<Namespace> namespaces)
    {
        var (pools, advertisements) = LoadBalancerPools.Effective(manifests, config);
        var (_, plan) = LoadBalancerAllocator.Assign([.. services.Where(s => !s.LoadBalancerIngress.IsEmpty)], pools, advertisements, namespaces, []);
        return plan;
    }

    public IReadOnlyList<IPAddressPool> Pools { get; }

    public IReadOnlyList<L2Advertisement> Advertisements { get; }

    public IReadOnlyList<LoadBalancerAllocation> Allocations { get; }

    public FrozenDictionary<string, LoadBalancerAllocation> ByService { get; }

    internal IReadOnlyList<PoolAddresses> Spaces { get; }

    public LoadBalancerAllocation? For(Service service) => ByService.GetValueOrDefault(service.QualifiedName);

    /// <summary>The status MetalLB's controller would write for <paramref name="pool"/> under these allocations.</summary>
    public PoolUsage UsageOf(IPAddressPool pool)
    {
        var assigned = (ulong)Allocations
            .Where(a => a.Pool == pool.Name && a.Address is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetwork })
            .Select(a => a.Address!)
            .Distinct()
            .Count();
        var usable = Spaces.FirstOrDefault(s => s.Name == pool.Name)?.Usable ?? 0;
        return new PoolUsage((long)assigned, (long)Math.Min(usable - Math.Min(assigned, usable), long.MaxValue), 0, 0);
    }

    /// <summary>The pool that can give <paramref name="address"/> (pools never overlap), or null.</summary>
    public IPAddressPool? PoolOf(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? Spaces.FirstOrDefault(s => s.Owns(IpMath.ToUInt32(address)))?.Pool
            : null;
}
