using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Maille.Engine.Dns;

namespace Maille.Lab.Dns;

/// <summary>The engine's plain records as ARSoft records, which encode them on the wire.</summary>
internal static class DnsWireRecords
{
    public static DnsRecordBase From(DnsRecord record)
    {
        var name = DomainName.Parse(record.Name);
        return (record.Type, record.Data) switch
        {
            (Engine.Dns.DnsRecordType.A, DnsAddressData a) => new ARecord(name, record.Ttl, a.Address),
            (Engine.Dns.DnsRecordType.AAAA, DnsAddressData a) => new AaaaRecord(name, record.Ttl, a.Address),
            (Engine.Dns.DnsRecordType.CNAME, DnsNameData n) => new CNameRecord(name, record.Ttl, DomainName.Parse(n.Target)),
            (Engine.Dns.DnsRecordType.PTR, DnsNameData n) => new PtrRecord(name, record.Ttl, DomainName.Parse(n.Target)),
            (Engine.Dns.DnsRecordType.NS, DnsNameData n) => new NsRecord(name, record.Ttl, DomainName.Parse(n.Target)),
            (Engine.Dns.DnsRecordType.SRV, DnsServiceData s) => new SrvRecord(name, record.Ttl, s.Priority, s.Weight, s.Port, DomainName.Parse(s.Target)),
            (Engine.Dns.DnsRecordType.TXT, DnsTextData t) => new TxtRecord(name, record.Ttl, t.Text),
            (Engine.Dns.DnsRecordType.SOA, DnsAuthorityData s) => new SoaRecord(
                name, record.Ttl, DomainName.Parse(s.PrimaryServer), DomainName.Parse(s.Mailbox), s.Serial, s.Refresh, s.Retry, s.Expire, s.Minimum),
            _ => throw new ArgumentException($"No wire form for {record}", nameof(record)),
        };
    }
}
