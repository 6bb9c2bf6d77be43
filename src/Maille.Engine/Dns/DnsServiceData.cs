namespace Maille.Engine.Dns;

/// <summary>The data of an SRV record (RFC 2782): where a named port of a Service is served.</summary>
public sealed record DnsServiceData(ushort Priority, ushort Weight, ushort Port, string Target) : DnsRecordData
{
    public override string ToString() => $"{Priority} {Weight} {Port} {Target}";
}
