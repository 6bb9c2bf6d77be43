using System.Net;

namespace Maille.Engine.Dns;

/// <summary>The data of an A (IPv4) or AAAA (IPv6) record.</summary>
public sealed record DnsAddressData(IPAddress Address) : DnsRecordData
{
    public override string ToString() => Address.ToString();
}
