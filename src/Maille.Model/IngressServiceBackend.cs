namespace Maille.Model;

/// <summary>A Service backend of an Ingress: the Service's name and its port by number or name.</summary>
public sealed record IngressServiceBackend(string Name, PortRef? Port);
