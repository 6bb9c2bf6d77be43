namespace Maille.Engine.Dns;

/// <summary>A DNS question: a name (with or without the final dot, in any case) and the record type asked for.</summary>
public sealed record DnsQuestion(string Name, DnsRecordType Type);
