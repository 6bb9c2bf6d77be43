namespace Maille.Engine.Dns;

/// <summary>The data of one record; <see cref="ToString"/> is its zone-file presentation (RFC 1035 §5.1).</summary>
public abstract record DnsRecordData
{
    public abstract override string ToString();
}
