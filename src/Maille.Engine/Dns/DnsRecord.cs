namespace Maille.Engine.Dns;

/// <summary>
/// One resource record, class IN. <see cref="Name"/> is absolute (ends in a dot); <see cref="ToString"/> gives the
/// zone-file line, as <c>dig</c> prints it: <c>api.shop.svc.cluster.local. 5 IN A 198.18.130.4</c>.
/// </summary>
public sealed record DnsRecord(string Name, DnsRecordType Type, int Ttl, DnsRecordData Data)
{
    public override string ToString() => $"{Name} {Ttl} IN {Type} {Data}";
}
