namespace Maille.Engine.Trace;

/// <summary>
/// The Ingress path an HTTP trace matched: the Ingress (<c>namespace/name</c>), the rule's host and the path as
/// written (null for a rule without host, and both null for a default backend), the backend Service
/// (<c>namespace/name</c>, null for a resource backend) and its port number (null when the Service lacks the port).
/// </summary>
public sealed record TracedIngress(string Ingress, string? Host, string? Path, string? PathType, string? Service, int? Port);
