namespace Maille.Engine.Dns;

/// <summary>The data of a CNAME, PTR or NS record: one absolute name (ending in a dot).</summary>
public sealed record DnsNameData(string Target) : DnsRecordData
{
    public override string ToString() => Target;
}
