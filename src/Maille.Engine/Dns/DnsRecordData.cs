namespace Maille.Engine.Dns;

/// <summary>The data of one record; <see cref="ToString"/> is its zone-file presentation (RFC 1035 §5.1).</summary>
internal abstract record DnsRecordData
{
    public abstract override string ToString();
}
