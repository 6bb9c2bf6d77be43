using Maille.Model;

namespace Maille.Engine.Dns;

/// <summary>A Service as the zone holds it: its name in the zone and, for a headless one, its ready endpoints.</summary>
internal sealed record DnsServiceEntry(string Fqdn, Service Service, EquatableArray<DnsEndpointEntry> ReadyEndpoints)
{
    public bool IsExternalName => Service.Type == ServiceType.ExternalName;

    public bool IsHeadless => Service.Headless && !IsExternalName;
}
