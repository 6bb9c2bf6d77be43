using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Maille.Model;

namespace Maille.Engine.LoadBalancing;

/// <summary>
/// Gives each LoadBalancer Service an address, with MetalLB's rules (requested addresses, pool annotation,
/// autoAssign, serviceAllocation priority and selectors, avoidBuggyIPs, sharing keys) and without MetalLB's
/// dependence on the order events arrive in:
/// <list type="number">
/// <item>addresses the input already carries (<c>status.loadBalancer.ingress</c>) are kept;</item>
/// <item>requested addresses are given next, oldest Service first (creationTimestamp, then name);</item>
/// <item>every other Service first tries one address of its first pool, at a position hashed from its name; those
/// that lose that address to an earlier Service then probe upward from it, pool by pool in priority order.</item>
/// </list>
/// So the same input in any file order gives the same result, and adding a Service moves another one only when both
/// hash to the same address and the newcomer is older (or, without timestamps, sorts first by name), or when it takes
/// an address the other one had reached by probing.
/// </summary>
internal static class LoadBalancerAllocator
{
    public static (IReadOnlyList<Service> Services, LoadBalancerPlan Plan) Assign(
        IReadOnlyList<Service> services,
        IReadOnlyList<IPAddressPool> pools,
        IReadOnlyList<L2Advertisement> advertisements,
        IReadOnlyList<Namespace> namespaces,
        List<Diagnostic> diagnostics)
    {
        var context = new Context(
            [.. pools.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => new PoolAddresses(p))],
            namespaces.ToDictionary(n => n.Name, StringComparer.Ordinal),
            new AddressUsage(),
            new Dictionary<string, LoadBalancerAllocation>(StringComparer.Ordinal));
        var ordered = services.Where(s => s.Type == ServiceType.LoadBalancer)
            .OrderBy(s => s.Meta.CreationTimestamp ?? DateTimeOffset.MaxValue)
            .ThenBy(s => s.QualifiedName, StringComparer.Ordinal)
            .ToList();

        KeepStatus(ordered.Where(s => !s.LoadBalancerIngress.IsEmpty), context);
        foreach (var service in ordered.Where(s => s.LoadBalancerIngress.IsEmpty && !LoadBalancerAnnotations.IsHandled(s)))
        {
            context.Outcome[service.QualifiedName] = new LoadBalancerAllocation
            {
                Service = service.QualifiedName,
                Kind = LoadBalancerAllocationKind.OtherClass,
                Reason = $"loadBalancerClass \"{service.LoadBalancerClass}\" belongs to another controller (Maille answers no class or \"{LoadBalancerAnnotations.MailleClass}\")",
            };
        }

        var open = ordered.Where(s => s.LoadBalancerIngress.IsEmpty && LoadBalancerAnnotations.IsHandled(s)).ToList();
        foreach (var service in open.Where(HasRequest))
        {
            context.Outcome[service.QualifiedName] = AssignRequested(service, context);
        }

        AssignDynamic(open.Where(s => !HasRequest(s)), context);
        return (Apply(services, context.Outcome, diagnostics), new LoadBalancerPlan(pools, advertisements, context.Outcome.Values));
    }

    private sealed record Context(
        IReadOnlyList<PoolAddresses> Spaces,
        IReadOnlyDictionary<string, Namespace> Namespaces,
        AddressUsage Usage,
        Dictionary<string, LoadBalancerAllocation> Outcome);

    /// <summary>Addresses the input carries in <c>status.loadBalancer.ingress</c> stay, and count as used.</summary>
    private static void KeepStatus(IEnumerable<Service> services, Context context)
    {
        foreach (var service in services)
        {
            var addresses = service.LoadBalancerIngress.Select(ParseIPv4).OfType<IPAddress>().ToList();
            foreach (var ip in addresses)
            {
                context.Usage.Add(IpMath.ToUInt32(ip), AddressClaim.For(service));
            }

            var address = addresses.FirstOrDefault();
            context.Outcome[service.QualifiedName] = new LoadBalancerAllocation
            {
                Service = service.QualifiedName,
                Kind = LoadBalancerAllocationKind.Kept,
                Address = address,
                Pool = address is null ? null : context.Spaces.FirstOrDefault(s => s.Owns(IpMath.ToUInt32(address)))?.Name,
            };
        }
    }

    /// <summary>
    /// Services that ask for no address: a first pass gives each the hashed address of its first pool when free (so
    /// an uncontested Service always lands there), a second pass lets those that lost it probe upward, pool by pool.
    /// </summary>
    private static void AssignDynamic(IEnumerable<Service> services, Context context)
    {
        var usage = context.Usage;
        var dynamic = services.Select(s => (Service: s, Candidates: CandidatePools(s, context))).ToList();
        foreach (var (service, candidates) in dynamic.Where(d => d.Candidates.Pools.Count == 0))
        {
            context.Outcome[service.QualifiedName] = Pending(service, candidates.Reason!);
        }

        foreach (var (service, candidates) in dynamic.Where(d => d.Candidates.Pools.Count > 0))
        {
            var first = candidates.Pools[0];
            var claim = AddressClaim.For(service);
            if ((Join(first, claim, usage) ?? Preferred(first, service, usage)) is { } ip)
            {
                context.Outcome[service.QualifiedName] = Allocate(service, first, ip, claim, usage);
            }
        }

        foreach (var (service, candidates) in dynamic.Where(d => d.Candidates.Pools.Count > 0 && !context.Outcome.ContainsKey(d.Service.QualifiedName)))
        {
            var claim = AddressClaim.For(service);
            var found = candidates.Pools
                .Select(pool => (Pool: pool, Address: Join(pool, claim, usage) ?? Probe(pool, service, claim, usage)))
                .FirstOrDefault(x => x.Address is not null);
            context.Outcome[service.QualifiedName] = found.Address is { } ip
                ? Allocate(service, found.Pool, ip, claim, usage)
                : Pending(service, Exhausted(candidates.Pools, usage));
        }
    }

    /// <summary>Writes each given address into the Service's status (and the pool into its annotation); warns for each pending one.</summary>
    private static List<Service> Apply(IReadOnlyList<Service> services, Dictionary<string, LoadBalancerAllocation> outcome, List<Diagnostic> diagnostics)
    {
        var result = new List<Service>(services.Count);
        foreach (var service in services)
        {
            var allocation = outcome.GetValueOrDefault(service.QualifiedName);
            if (allocation is { Kind: LoadBalancerAllocationKind.Allocated or LoadBalancerAllocationKind.Requested, Address: { } address })
            {
                result.Add(service with
                {
                    LoadBalancerIngress = new[] { address.ToString() },
                    Meta = service.Meta with { Annotations = service.Meta.Annotations.With(LoadBalancerAnnotations.AllocatedFromPool, allocation.Pool!) },
                });
                continue;
            }

            if (allocation is { Kind: LoadBalancerAllocationKind.Pending })
            {
                diagnostics.Add(PendingWarning(service, allocation.Reason!));
            }

            result.Add(service);
        }

        return result;
    }

    private sealed record Candidates(IReadOnlyList<PoolAddresses> Pools, string? Reason);

    private static bool HasRequest(Service service) =>
        service.LoadBalancerIP is not null || LoadBalancerAnnotations.Get(service, LoadBalancerAnnotations.LoadBalancerIPs).Value is not null;

    /// <summary>MetalLB's Assign for <c>metallb.io/loadBalancerIPs</c> or <c>spec.loadBalancerIP</c>.</summary>
    private static LoadBalancerAllocation AssignRequested(Service service, Context context)
    {
        var (annotation, key) = LoadBalancerAnnotations.Get(service, LoadBalancerAnnotations.LoadBalancerIPs);
        if (annotation is not null && service.LoadBalancerIP is not null)
        {
            return Pending(service, $"{key} and spec.loadBalancerIP are both set; a Service may use only one");
        }

        var texts = annotation is not null ? annotation.Split(',').Select(t => t.Trim()).ToList() : [service.LoadBalancerIP!];
        var what = annotation is not null ? key : "spec.loadBalancerIP";
        var addresses = new List<IPAddress>();
        foreach (var text in texts)
        {
            if (!IPAddress.TryParse(text, out var parsed) || (parsed.AddressFamily == AddressFamily.InterNetwork && ParseIPv4(text) is null))
            {
                return Pending(service, $"{what}: \"{text}\" is not an IP address");
            }

            addresses.Add(parsed);
        }

        if (addresses.FirstOrDefault(a => a.AddressFamily != AddressFamily.InterNetwork) is { } v6)
        {
            return Pending(service, $"{what} asks for {v6}: Maille gives IPv4 LoadBalancer addresses only");
        }

        if (addresses.Count > 1)
        {
            return Pending(service, $"{what} asks for {addresses.Count} IPv4 addresses; a Service gets at most one per family");
        }

        var address = addresses[0];
        var value = IpMath.ToUInt32(address);
        var pool = context.Spaces.FirstOrDefault(s => s.Owns(value));
        if (pool is null)
        {
            var avoiding = context.Spaces.FirstOrDefault(s => s.ContainsIgnoringBuggy(value));
            return Pending(service, avoiding is null
                ? $"requested {address} is not in any address pool"
                : $"requested {address} ends in .0 or .255, which pool \"{avoiding.Name}\" avoids (avoidBuggyIPs)");
        }

        if (Incompatibility(pool, service, context) is { } refusal)
        {
            return Pending(service, $"requested {address} is in pool \"{pool.Name}\", which {refusal}");
        }

        var (wanted, poolKey) = LoadBalancerAnnotations.Get(service, LoadBalancerAnnotations.AddressPool);
        if (wanted is not null && wanted != pool.Name)
        {
            return Pending(service, $"requested {address} is in pool \"{pool.Name}\", not in pool \"{wanted}\" named by {poolKey}");
        }

        var claim = AddressClaim.For(service);
        if (context.Usage.Conflict(value, claim) is { } conflict)
        {
            return Pending(service, conflict);
        }

        context.Usage.Add(value, claim);
        return new LoadBalancerAllocation { Service = service.QualifiedName, Kind = LoadBalancerAllocationKind.Requested, Address = address, Pool = pool.Name };
    }

    /// <summary>
    /// The pools a Service without a requested address may take from, best first: the one its
    /// <c>metallb.io/address-pool</c> names; else the autoAssign pools with a serviceAllocation that serves it (lower
    /// priority first, unset last, then by name), then the autoAssign pools without one (by name).
    /// </summary>
    private static Candidates CandidatePools(Service service, Context context)
    {
        var (wanted, key) = LoadBalancerAnnotations.Get(service, LoadBalancerAnnotations.AddressPool);
        if (wanted is not null)
        {
            var named = context.Spaces.FirstOrDefault(s => s.Name == wanted);
            if (named is null)
            {
                return new([], $"{key} names pool \"{wanted}\", which does not exist");
            }

            return Incompatibility(named, service, context) is { } refusal
                ? new([], $"pool \"{wanted}\" named by {key} {refusal}")
                : new([named], null);
        }

        if (context.Spaces.Count == 0)
        {
            return new([], "no address pool is configured");
        }

        var pinned = context.Spaces
            .Where(s => s.Pool.AutoAssign && s.Pool.ServiceAllocation is not null && Incompatibility(s, service, context) is null)
            .OrderBy(s => s.Pool.ServiceAllocation!.Priority > 0 ? 0 : 1)
            .ThenBy(s => s.Pool.ServiceAllocation!.Priority)
            .ThenBy(s => s.Name, StringComparer.Ordinal);
        var general = context.Spaces.Where(s => s.Pool.AutoAssign && s.Pool.ServiceAllocation is null);
        var pools = pinned.Concat(general).ToList();
        if (pools.Count == 0)
        {
            var reasons = context.Spaces.Select(s => s.Pool.AutoAssign
                ? $"pool \"{s.Name}\" {Incompatibility(s, service, context)}"
                : $"pool \"{s.Name}\" has autoAssign: false");
            return new([], "no pool serves this Service: " + string.Join("; ", reasons));
        }

        return new(pools, null);
    }

    /// <summary>Why a pool's serviceAllocation excludes the Service (namespaces, namespace selectors, service selectors), or null.</summary>
    private static string? Incompatibility(PoolAddresses pool, Service service, Context context)
    {
        if (pool.Pool.ServiceAllocation is not { } allocation)
        {
            return null;
        }

        if (allocation.RestrictsNamespaces)
        {
            var labels = context.Namespaces.TryGetValue(service.Namespace, out var ns) ? ns.Meta.Labels : Labels.Of((Namespace.NameLabel, service.Namespace));
            var served = allocation.Namespaces.Contains(service.Namespace) || allocation.NamespaceSelectors.Any(s => s.Matches(labels));
            if (!served)
            {
                return $"serves only namespaces listed or selected by its serviceAllocation, not \"{service.Namespace}\"";
            }
        }

        if (!allocation.ServiceSelectors.IsEmpty && !allocation.ServiceSelectors.Any(s => s.Matches(service.Meta.Labels)))
        {
            return $"serves only Services matching its serviceAllocation.serviceSelectors ({string.Join(" or ", allocation.ServiceSelectors)}), and this one's labels are {service.Meta.Labels}";
        }

        return null;
    }

    /// <summary>A sharing Service goes where Services of its sharing key already are, as MetalLB's lowest-first walk takes it there.</summary>
    private static uint? Join(PoolAddresses pool, AddressClaim claim, AddressUsage usage)
    {
        if (claim.SharingKey is null)
        {
            return null;
        }

        var shared = usage.Addresses.Where(a => pool.Owns(a) && usage.HoldersOf(a).Any(h => h.SharingKey == claim.SharingKey) && usage.Conflict(a, claim) is null);
        return shared.Cast<uint?>().FirstOrDefault();
    }

    private static uint? Preferred(PoolAddresses pool, Service service, AddressUsage usage)
    {
        if (pool.Span == 0)
        {
            return null;
        }

        var address = pool.At(StableHash.Fnv32(service.QualifiedName) % pool.Span);
        return pool.Owns(address) && !usage.IsUsed(address) ? address : null;
    }

    private static uint? Probe(PoolAddresses pool, Service service, AddressClaim claim, AddressUsage usage) =>
        pool.Span == 0
            ? null
            : pool.From(StableHash.Fnv32(service.QualifiedName) % pool.Span).Where(a => usage.Conflict(a, claim) is null).Cast<uint?>().FirstOrDefault();

    private static LoadBalancerAllocation Allocate(Service service, PoolAddresses pool, uint address, AddressClaim claim, AddressUsage usage)
    {
        usage.Add(address, claim);
        return new LoadBalancerAllocation
        {
            Service = service.QualifiedName,
            Kind = LoadBalancerAllocationKind.Allocated,
            Address = IpMath.FromUInt32(address),
            Pool = pool.Name,
        };
    }

    private static string Exhausted(IReadOnlyList<PoolAddresses> pools, AddressUsage usage)
    {
        var detail = pools.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"\"{p.Name}\" {p.Usable} address{(p.Usable == 1 ? "" : "es")}, {usage.Addresses.Count(p.Owns)} in use"));
        var names = string.Join(", ", pools.Select(p => $"\"{p.Name}\""));
        return $"no available IPs in {(pools.Count == 1 ? "pool" : "pools")} {names} ({string.Join("; ", detail)})";
    }

    private static LoadBalancerAllocation Pending(Service service, string reason) => new()
    {
        Service = service.QualifiedName,
        Kind = LoadBalancerAllocationKind.Pending,
        Reason = reason,
    };

    private static Diagnostic PendingWarning(Service service, string reason)
    {
        var lineOf = LoadBalancerAnnotations.Get(service, LoadBalancerAnnotations.LoadBalancerIPs) is { Value: not null } requested
            ? $"metadata.annotations[{requested.Key}]"
            : service.LoadBalancerIP is not null ? "spec.loadBalancerIP" : "spec.type";
        return Diagnostic.For(FieldErrorType.Warning, new ObjectRef("Service", service.Namespace, service.Name), service.Meta.Source,
            "status.loadBalancer", null, reason + "; EXTERNAL-IP stays <pending>", lineOf);
    }

    /// <summary>Four dotted decimal parts only, as Go's net.ParseIP reads IPv4; null otherwise.</summary>
    private static IPAddress? ParseIPv4(string text) =>
        AddressRange.TryParse(text + "/32", out _) is { } range ? IpMath.FromUInt32(range.First) : null;
}
