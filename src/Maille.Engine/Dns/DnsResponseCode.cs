namespace Maille.Engine.Dns;

/// <summary>The response codes the resolver gives, numbered as on the wire (RFC 1035 §4.1.1).</summary>
public enum DnsResponseCode
{
    /// <summary>The name exists; the answer may still be empty (no records of the asked type).</summary>
    NoError = 0,

    /// <summary>The server cannot parse the question (more than one question, say).</summary>
    FormatError = 1,

    /// <summary>NXDOMAIN: no such name in the cluster zone.</summary>
    NameError = 3,

    /// <summary>An opcode other than QUERY.</summary>
    NotImplemented = 4,

    /// <summary>A name outside the cluster zone: the lab has no upstream resolver to ask.</summary>
    Refused = 5,
}
