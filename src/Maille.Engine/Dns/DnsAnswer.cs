using Maille.Model;

namespace Maille.Engine.Dns;

/// <summary>
/// What cluster DNS answers to one question: a response code and the three record sections of a DNS response.
/// <see cref="Authoritative"/> is true for names in the cluster zone (and the reverse names it knows).
/// </summary>
public sealed record DnsAnswer
{
    public required DnsResponseCode Code { get; init; }

    public bool Authoritative { get; init; }

    public EquatableArray<DnsRecord> Answers { get; init; } = EquatableArray<DnsRecord>.Empty;

    /// <summary>The zone's SOA on an NXDOMAIN or an empty answer, so resolvers can cache the negative answer.</summary>
    public EquatableArray<DnsRecord> Authority { get; init; } = EquatableArray<DnsRecord>.Empty;

    /// <summary>Addresses of the targets named by SRV answers, so a client needs no second query.</summary>
    public EquatableArray<DnsRecord> Additional { get; init; } = EquatableArray<DnsRecord>.Empty;
}
