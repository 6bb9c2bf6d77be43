using System.Net;
using Maille.Model;

namespace Maille.Engine.Trace;

/// <summary>Where a traced connection starts: a pod, or a client outside the cluster on the node network.</summary>
public sealed record TraceSource(Pod? Pod, IPAddress Address)
{
    public bool IsExternal => Pod is null;

    public string Name => Pod is { } pod ? pod.QualifiedName : $"external ({Address})";
}
