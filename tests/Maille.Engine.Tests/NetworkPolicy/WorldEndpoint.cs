using System.Net;
using Maille.Model;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>One end of a question in a <see cref="PolicyWorld"/>: a pod (hostNetwork or not) or a bare address.</summary>
internal sealed record WorldEndpoint(Pod? Pod, IPAddress? Address)
{
    public override string ToString() => Pod is { } pod ? pod.QualifiedName + (pod.Spec.HostNetwork ? "(hostNetwork)" : "") : Address?.ToString() ?? "?";
}
