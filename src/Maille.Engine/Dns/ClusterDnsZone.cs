using System.Collections.Frozen;
using System.Net;
using Maille.Model;

namespace Maille.Engine.Dns;

/// <summary>
/// Cluster DNS for one planned cluster, after the Kubernetes DNS-Based Service Discovery specification (schema
/// 1.1.0): Services, headless endpoints, SRV records for named ports, pod records, ExternalName CNAMEs and PTR
/// records, all computed from the <see cref="ClusterState"/> it was built from. Built once per state (indexes by
/// name and by address), then <see cref="Resolve"/> answers each question without scanning the cluster. Pure.
/// </summary>
public sealed partial class ClusterDnsZone
{
    /// <summary>The schema version published at <c>dns-version.&lt;zone&gt;</c>.</summary>
    public const string SchemaVersion = "1.1.0";

    /// <summary>Every record's TTL, in seconds: CoreDNS's default for cluster records, so changes show within seconds.</summary>
    public const int Ttl = 5;

    private readonly IPAddress _dnsServiceIP;
    private readonly IReadOnlyList<IPNetwork> _reverseNetworks;
    private readonly FrozenDictionary<string, DnsServiceEntry> _services;
    private readonly FrozenSet<string> _namespaces;
    private readonly FrozenDictionary<string, IPAddress> _pods;
    private readonly FrozenDictionary<IPAddress, string[]> _pointers;

    private ClusterDnsZone(
        string zone,
        IPAddress dnsServiceIP,
        IReadOnlyList<IPNetwork> reverseNetworks,
        FrozenDictionary<string, DnsServiceEntry> services,
        FrozenSet<string> namespaces,
        FrozenDictionary<string, IPAddress> pods,
        FrozenDictionary<IPAddress, string[]> pointers)
    {
        Zone = zone;
        _dnsServiceIP = dnsServiceIP;
        _reverseNetworks = reverseNetworks;
        _services = services;
        _namespaces = namespaces;
        _pods = pods;
        _pointers = pointers;
    }

    /// <summary>The cluster domain as an absolute, lower-case name: <c>cluster.local.</c>.</summary>
    public string Zone { get; }

    public static ClusterDnsZone Build(ClusterState cluster)
    {
        var zone = DnsNames.Zone(cluster.Config.DnsDomain);
        var services = new Dictionary<string, DnsServiceEntry>(StringComparer.Ordinal);
        var pointers = new Dictionary<IPAddress, SortedSet<string>>();
        foreach (var service in cluster.Services)
        {
            var fqdn = $"{service.Name}.{service.Namespace}.svc.{zone}";
            var entry = new DnsServiceEntry(fqdn, service, service.Headless && service.Type != ServiceType.ExternalName ? ReadyEndpoints(service, cluster.SlicesFor(service)) : EquatableArray<DnsEndpointEntry>.Empty);
            services[$"{service.Name}.{service.Namespace}"] = entry;
            if (entry.IsExternalName)
            {
                continue;
            }

            if (service.ClusterIP is { } clusterIP && !service.Headless)
            {
                Point(pointers, clusterIP, fqdn);
            }

            foreach (var endpoint in entry.ReadyEndpoints)
            {
                Point(pointers, endpoint.Address, $"{endpoint.Hostname}.{fqdn}");
            }
        }

        var pods = new Dictionary<string, IPAddress>(StringComparer.Ordinal);
        var podPointers = new List<(IPAddress, string)>();
        foreach (var pod in cluster.Pods)
        {
            foreach (var address in Addresses(pod))
            {
                var label = $"{DnsNames.Dashed(address)}.{pod.Namespace}";
                pods.TryAdd(label, address);

                // A hostNetwork pod's address is its node's: the node, not the pod, owns its reverse name.
                if (!pod.Spec.HostNetwork)
                {
                    podPointers.Add((address, $"{label}.pod.{zone}"));
                }
            }
        }

        // A pod's own name is its reverse name only when no headless Service names it: that name says more.
        foreach (var (address, name) in podPointers.Where(p => !pointers.ContainsKey(p.Item1)))
        {
            Point(pointers, address, name);
        }

        return new ClusterDnsZone(
            zone,
            cluster.Config.EffectiveDnsServiceIP,
            [cluster.Config.ServiceCidr, cluster.Config.ClusterCidr],
            services.ToFrozenDictionary(StringComparer.Ordinal),
            cluster.Namespaces.Select(n => n.Name).ToFrozenSet(StringComparer.Ordinal),
            pods.ToFrozenDictionary(StringComparer.Ordinal),
            pointers.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray()));
    }

    /// <summary>
    /// The ready addresses of a headless Service across its slices. <i>Ready</i> is the slice's <c>ready</c>
    /// condition, which the EndpointSlice controller already forces for <c>publishNotReadyAddresses</c>; the flag is
    /// honoured here too so that slices given in the input (selector-less Services) follow the same rule. An address
    /// that appears in several slices is one entry with the ports of all of them.
    /// </summary>
    private static EquatableArray<DnsEndpointEntry> ReadyEndpoints(Service service, IEnumerable<EndpointSlice> slices)
    {
        var entries = new Dictionary<(string Hostname, IPAddress Address), List<EndpointPort>>();
        foreach (var slice in slices)
        {
            foreach (var endpoint in slice.Endpoints.Where(e => e.Conditions.Ready || service.PublishNotReadyAddresses))
            {
                foreach (var text in endpoint.Addresses)
                {
                    if (!IPAddress.TryParse(text, out var address))
                    {
                        continue; // an FQDN slice: no address for DNS to give
                    }

                    var key = (endpoint.Hostname?.ToLowerInvariant() ?? DnsNames.Dashed(address), address);
                    if (!entries.TryGetValue(key, out var ports))
                    {
                        entries[key] = ports = [];
                    }

                    ports.AddRange(slice.Ports.Where(p => !ports.Contains(p)));
                }
            }
        }

        return new(entries
            .Select(e => new DnsEndpointEntry(e.Key.Hostname, e.Key.Address, new(e.Value)))
            .OrderBy(e => e.Address, AddressOrder.Instance)
            .ThenBy(e => e.Hostname, StringComparer.Ordinal));
    }

    private static EquatableArray<IPAddress> Addresses(Pod pod) =>
        pod.Status.PodIPs.IsEmpty ? new(pod.Status.PodIP is { } ip ? [ip] : []) : pod.Status.PodIPs;

    private static void Point(Dictionary<IPAddress, SortedSet<string>> pointers, IPAddress address, string name)
    {
        if (!pointers.TryGetValue(address, out var names))
        {
            pointers[address] = names = new SortedSet<string>(StringComparer.Ordinal);
        }

        names.Add(name);
    }
}
