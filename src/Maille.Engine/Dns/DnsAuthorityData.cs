namespace Maille.Engine.Dns;

/// <summary>
/// The data of the zone's SOA record (RFC 1035 §3.3.13). <see cref="Minimum"/> is the negative-caching TTL
/// (RFC 2308): how long a resolver may remember an NXDOMAIN or an empty answer.
/// </summary>
public sealed record DnsAuthorityData(string PrimaryServer, string Mailbox, uint Serial, int Refresh, int Retry, int Expire, int Minimum) : DnsRecordData
{
    public override string ToString() => $"{PrimaryServer} {Mailbox} {Serial} {Refresh} {Retry} {Expire} {Minimum}";
}
