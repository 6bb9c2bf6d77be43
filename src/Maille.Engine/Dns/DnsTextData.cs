namespace Maille.Engine.Dns;

/// <summary>The data of a TXT record holding one character string.</summary>
public sealed record DnsTextData(string Text) : DnsRecordData
{
    public override string ToString() => $"\"{Text}\"";
}
