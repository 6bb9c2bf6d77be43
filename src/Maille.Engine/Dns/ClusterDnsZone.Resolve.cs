using System.Net;
using System.Net.Sockets;
using Maille.Model;

namespace Maille.Engine.Dns;

public sealed partial class ClusterDnsZone
{
    /// <summary>How many CNAMEs are followed inside the zone (an ExternalName naming another Service) before stopping.</summary>
    private const int MaxCnameChain = 8;

    /// <summary>
    /// Answers one question. Names compare case-insensitively; answers are owned by the name as asked. Inside the
    /// cluster zone: records, NXDOMAIN for names that do not exist, an empty NOERROR for names that exist without
    /// records of the asked type (so an AAAA question next to an A question does not fail the lookup). Reverse names of
    /// Service and pod addresses get PTR records; other addresses of the Service or pod CIDR get NXDOMAIN. Anything
    /// else is REFUSED: the lab has no upstream resolver, and REFUSED makes a stub resolver give up (or try its next
    /// server) at once instead of retrying as it would after SERVFAIL.
    /// </summary>
    public DnsAnswer Resolve(DnsQuestion question)
    {
        var owner = DnsNames.Absolute(question.Name);
        var name = owner.ToLowerInvariant();
        if (name.EndsWith(DnsNames.ReverseSuffix, StringComparison.Ordinal))
        {
            return ResolveReverse(owner, name, question.Type);
        }

        if (!InZone(name))
        {
            return new DnsAnswer { Code = DnsResponseCode.Refused };
        }

        var answers = new List<DnsRecord>();
        var code = DnsResponseCode.NoError;
        var negative = false; // NXDOMAIN, or a name in the zone without records of the type: the SOA goes along
        for (var hop = 0; ; hop++)
        {
            var records = RecordsAt(owner, name);
            if (records is null)
            {
                code = DnsResponseCode.NameError;
                negative = true;
                break;
            }

            if (records.FirstOrDefault(r => r.Type == DnsRecordType.CNAME) is { } alias && question.Type is not (DnsRecordType.CNAME or DnsRecordType.ANY))
            {
                answers.Add(alias);
                var target = ((DnsNameData)alias.Data).Target;
                if (!InZone(target) || hop == MaxCnameChain)
                {
                    break; // outside the cluster the client's resolver follows it, as with CoreDNS without upstream
                }

                owner = name = target;
                continue;
            }

            var matching = records.Where(r => question.Type == DnsRecordType.ANY || r.Type == question.Type).ToList();
            answers.AddRange(matching);
            negative = matching.Count == 0;
            break;
        }

        return new DnsAnswer
        {
            Code = code,
            Authoritative = true,
            Answers = new(answers),
            Authority = negative ? new([Soa()]) : EquatableArray<DnsRecord>.Empty,
            Additional = new(AdditionalFor(answers)),
        };
    }

    private bool InZone(string name) => name == Zone || name.EndsWith("." + Zone, StringComparison.Ordinal);

    /// <summary>Every record owned by <paramref name="name"/> (lower case, in the zone); empty when the name exists without records; null when it does not exist.</summary>
    private IReadOnlyList<DnsRecord>? RecordsAt(string owner, string name)
    {
        var labels = name == Zone ? [] : name[..^(Zone.Length + 1)].Split('.');
        return labels switch
        {
            [] => [Soa(owner), Record(owner, DnsRecordType.NS, new DnsNameData($"ns.dns.{Zone}"))],
            ["dns-version"] => [Record(owner, DnsRecordType.TXT, new DnsTextData(SchemaVersion))],
            ["dns"] or ["svc"] or ["pod"] => [],
            ["ns", "dns"] => [AddressRecord(owner, _dnsServiceIP)],
            [var ns, "svc" or "pod"] => _namespaces.Contains(ns) ? [] : null,
            [var service, var ns, "svc"] => ServiceRecords(owner, service, ns),
            [var label, var service, var ns, "svc"] => label.StartsWith('_') ? ProtocolNode(label, service, ns) : HostnameRecords(owner, label, service, ns),
            [var port, var protocol, var service, var ns, "svc"] => ServiceLocations(owner, port, protocol, service, ns),
            [var dashed, var ns, "pod"] => _pods.TryGetValue($"{dashed}.{ns}", out var address) ? [AddressRecord(owner, address)] : null,
            _ => null,
        };
    }

    private IReadOnlyList<DnsRecord>? ServiceRecords(string owner, string service, string ns)
    {
        if (!_services.TryGetValue($"{service}.{ns}", out var entry))
        {
            return null;
        }

        if (entry.IsExternalName)
        {
            return [Record(owner, DnsRecordType.CNAME, new DnsNameData(DnsNames.Zone(entry.Service.ExternalName!)))];
        }

        if (entry.IsHeadless)
        {
            // The specification: a headless Service with no ready endpoint is NXDOMAIN.
            return entry.ReadyEndpoints.IsEmpty ? null : [.. entry.ReadyEndpoints.Select(e => e.Address).Distinct().Select(a => AddressRecord(owner, a))];
        }

        return entry.Service.ClusterIP is { } clusterIP ? [AddressRecord(owner, clusterIP)] : [];
    }

    /// <summary><c>&lt;hostname&gt;.&lt;service&gt;.&lt;ns&gt;.svc</c>: the ready endpoints of a headless Service with that hostname.</summary>
    private List<DnsRecord>? HostnameRecords(string owner, string hostname, string service, string ns)
    {
        if (!_services.TryGetValue($"{service}.{ns}", out var entry) || !entry.IsHeadless)
        {
            return null;
        }

        var records = entry.ReadyEndpoints.Where(e => e.Hostname == hostname).Select(e => AddressRecord(owner, e.Address)).ToList();
        return records.Count == 0 ? null : records;
    }

    /// <summary><c>_tcp.&lt;service&gt;.&lt;ns&gt;.svc</c> exists (without records) when some SRV record lies below it.</summary>
    private IReadOnlyList<DnsRecord>? ProtocolNode(string protocol, string service, string ns) =>
        _services.TryGetValue($"{service}.{ns}", out var entry)
        && entry.Service.Ports.Any(p => p.Name is not null && protocol == ProtocolLabel(p.Protocol))
        && (!entry.IsHeadless || !entry.ReadyEndpoints.IsEmpty) && !entry.IsExternalName
            ? []
            : null;

    /// <summary>
    /// SRV records of a named port: the Service's name and port for a Service with a ClusterIP; for a headless Service
    /// one per ready endpoint, with the endpoint's own port number (the targetPort resolved on the pod, which is
    /// what a client reaching the pod directly must use, as CoreDNS does) and an equal share of the weight.
    /// </summary>
    private List<DnsRecord>? ServiceLocations(string owner, string portLabel, string protocolLabel, string service, string ns)
    {
        if (!portLabel.StartsWith('_') || !protocolLabel.StartsWith('_')
            || !_services.TryGetValue($"{service}.{ns}", out var entry) || entry.IsExternalName)
        {
            return null;
        }

        var portName = portLabel[1..];
        var port = entry.Service.Ports.FirstOrDefault(p => p.Name == portName && ProtocolLabel(p.Protocol) == protocolLabel);
        if (port is null)
        {
            return null;
        }

        if (!entry.IsHeadless)
        {
            return [Record(owner, DnsRecordType.SRV, new DnsServiceData(0, 100, (ushort)port.Port, entry.Fqdn))];
        }

        var located = entry.ReadyEndpoints
            .Select(e => (Endpoint: e, Port: e.Ports.FirstOrDefault(p => p.Name == portName && p.Protocol == port.Protocol)?.Port))
            .Where(e => e.Port is not null)
            .ToList();
        var weight = (ushort)Math.Max(1, 100 / Math.Max(1, located.Count));
        var records = located
            .Select(e => Record(owner, DnsRecordType.SRV, new DnsServiceData(0, weight, (ushort)e.Port!.Value, $"{e.Endpoint.Hostname}.{entry.Fqdn}")))
            .DistinctBy(r => r.Data)
            .ToList();
        return records.Count == 0 ? null : records;
    }

    /// <summary>The addresses of SRV targets inside the zone.</summary>
    private IEnumerable<DnsRecord> AdditionalFor(IEnumerable<DnsRecord> answers) =>
        answers.Where(r => r.Type == DnsRecordType.SRV)
            .Select(r => ((DnsServiceData)r.Data).Target)
            .Distinct(StringComparer.Ordinal)
            .Where(InZone)
            .SelectMany(target => RecordsAt(target, target) ?? [])
            .Where(r => r.Type is DnsRecordType.A or DnsRecordType.AAAA);

    private DnsAnswer ResolveReverse(string owner, string name, DnsRecordType type)
    {
        var address = DnsNames.FromReverse(name);
        if (address is not null && _pointers.TryGetValue(address, out var targets))
        {
            var answers = type is DnsRecordType.PTR or DnsRecordType.ANY
                ? targets.Select(t => Record(owner, DnsRecordType.PTR, new DnsNameData(t))).ToList()
                : [];
            return new DnsAnswer { Code = DnsResponseCode.NoError, Authoritative = true, Answers = new(answers) };
        }

        return address is not null && _reverseNetworks.Any(n => n.Contains(address))
            ? new DnsAnswer { Code = DnsResponseCode.NameError, Authoritative = true }
            : new DnsAnswer { Code = DnsResponseCode.Refused };
    }

    private static string ProtocolLabel(Protocol protocol) => "_" + protocol.ToString().ToLowerInvariant();

    private static DnsRecord Record(string owner, DnsRecordType type, DnsRecordData data) => new(owner, type, Ttl, data);

    private static DnsRecord AddressRecord(string owner, IPAddress address) =>
        Record(owner, address.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A, new DnsAddressData(address));

    /// <summary>
    /// The zone's SOA. The serial is fixed: the zone is answered from memory and never transferred, so no secondary
    /// compares serials; the negative-caching TTL equals the record TTL so a new Service resolves within seconds.
    /// </summary>
    private DnsRecord Soa(string? owner = null) =>
        Record(owner ?? Zone, DnsRecordType.SOA, new DnsAuthorityData($"ns.dns.{Zone}", $"hostmaster.{Zone}", 1, 7200, 1800, 86400, Ttl));
}
