namespace Maille.Lab.Workloads;

/// <summary>
/// Connection feature naming the pod port a connection was accepted on. Kestrel falls back to the connection's
/// features when a request asks for one it does not know, so <c>HttpContext.Features.Get&lt;PodPortFeature&gt;()</c>
/// finds it.
/// </summary>
internal sealed class PodPortFeature(PodPort port)
{
    public PodPort Port { get; } = port;
}
