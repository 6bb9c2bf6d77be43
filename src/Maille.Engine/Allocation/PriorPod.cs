using System.Net;

namespace Maille.Engine.Allocation;

/// <summary>Where a pod ran and, unless it used the host network, the IP it had.</summary>
public sealed record PriorPod(string Node, IPAddress? Address);
