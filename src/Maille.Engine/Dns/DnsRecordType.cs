namespace Maille.Engine.Dns;

/// <summary>
/// The record types cluster DNS answers or is asked about, numbered as on the wire (RFC 1035, 2782, 3596), so a
/// server can cast a question's type both ways; any other number is a type the zone simply has no records of.
/// </summary>
public enum DnsRecordType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    PTR = 12,
    TXT = 16,
    AAAA = 28,
    SRV = 33,
    ANY = 255,
}
