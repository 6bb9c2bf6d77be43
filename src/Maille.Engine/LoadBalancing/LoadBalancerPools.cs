using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Engine.LoadBalancing;

/// <summary>
/// The pools and advertisements in force, and the checks MetalLB makes across them. The input's IPAddressPools
/// replace the cluster configuration's pools; when the input has neither pools nor L2Advertisements, the
/// configuration's pools are announced from every node (the lab works with no MetalLB objects at all). Pools given
/// without any L2Advertisement are allocated from but not announced, as with MetalLB.
/// </summary>
internal static class LoadBalancerPools
{
    public static (IReadOnlyList<IPAddressPool> Pools, IReadOnlyList<L2Advertisement> Advertisements) Effective(ManifestSet manifests, ClusterConfig config)
    {
        if (!manifests.IPAddressPools.IsEmpty)
        {
            return ([.. manifests.IPAddressPools], [.. manifests.L2Advertisements]);
        }

        var source = new SourceLocation(config.Source, null);
        var pools = config.LoadBalancerPools.Select(p => new IPAddressPool
        {
            Meta = new ObjectMeta { Name = p.Name, Source = source },
            Addresses = p.Addresses,
            FromClusterConfig = true,
        }).ToList();
        if (!manifests.L2Advertisements.IsEmpty)
        {
            return (pools, [.. manifests.L2Advertisements]);
        }

        var everywhere = new L2Advertisement { Meta = new ObjectMeta { Name = "default", Source = source }, Implicit = true };
        return (pools, [everywhere]);
    }

    /// <summary>
    /// Cross-object checks: addresses of configuration pools, pool names unique, no address in two pools, no node
    /// address inside a pool (MetalLB refuses all three), and advertisements naming pools that exist (a warning:
    /// MetalLB ignores such names).
    /// </summary>
    public static void Validate(ManifestSet manifests, ClusterConfig config, IReadOnlyList<Node> nodes, List<Diagnostic> diagnostics)
    {
        var (pools, advertisements) = Effective(manifests, config);
        var seen = new Dictionary<string, IPAddressPool>(StringComparer.Ordinal);
        var ranges = new List<(AddressRange Range, string Text, IPAddressPool Pool)>();
        for (var p = 0; p < pools.Count; p++)
        {
            var pool = pools[p];
            var errors = ErrorsFor(pool, config, diagnostics);
            var at = pool.FromClusterConfig ? $"loadBalancerPools[{p}]." : "spec.";
            if (!seen.TryAdd(pool.Name, pool))
            {
                errors.Duplicate(pool.FromClusterConfig ? $"loadBalancerPools[{p}].name" : "metadata.name", pool.Name,
                    "pool names must be unique across namespaces: MetalLB reads every pool from its own namespace");
            }

            for (var i = 0; i < pool.Addresses.Count; i++)
            {
                var text = pool.Addresses[i];
                var field = $"{at}addresses[{i}]";
                if (AddressRange.TryParse(text, out var problem) is not { } range)
                {
                    // The converter has already reported input pools' entries; configuration pools are checked here.
                    if (pool.FromClusterConfig && !AddressRange.LooksIPv6(text))
                    {
                        errors.Invalid(field, text, problem!);
                    }

                    continue;
                }

                foreach (var other in ranges.Where(r => r.Range.Overlaps(range)))
                {
                    errors.Invalid(field, text, other.Pool == pool
                        ? $"overlaps {other.Text}, also in this pool"
                        : $"overlaps {other.Text} of pool \"{other.Pool.Name}\"");
                }

                foreach (var node in nodes.Where(n => n.InternalIP is { } ip && range.Contains(ip)))
                {
                    errors.Invalid(field, text, $"contains the address {node.InternalIP} of node {node.Name}");
                }

                ranges.Add((range, text, pool));
            }
        }

        foreach (var advertisement in advertisements.Where(a => !a.Implicit))
        {
            var errors = new FieldErrors(new ObjectRef(L2Advertisement.KindName, advertisement.Meta.Namespace, advertisement.Name), advertisement.Meta.Source, diagnostics);
            for (var i = 0; i < advertisement.IPAddressPools.Count; i++)
            {
                if (!seen.ContainsKey(advertisement.IPAddressPools[i]))
                {
                    errors.Warning($"spec.ipAddressPools[{i}]", $"no IPAddressPool is named \"{advertisement.IPAddressPools[i]}\"; the name is ignored, as MetalLB ignores it");
                }
            }
        }
    }

    private static FieldErrors ErrorsFor(IPAddressPool pool, ClusterConfig config, List<Diagnostic> diagnostics) =>
        pool.FromClusterConfig
            ? new FieldErrors(new ObjectRef(ClusterConfig.KindName, null, Path.GetFileName(config.Source)), pool.Meta.Source, diagnostics)
            : new FieldErrors(new ObjectRef(IPAddressPool.KindName, pool.Meta.Namespace, pool.Name), pool.Meta.Source, diagnostics);
}
