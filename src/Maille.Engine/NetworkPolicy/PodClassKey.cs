using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// What makes two pods equivalent under a set of policies: namespace, labels, named ports (name/number/protocol,
/// sorted) and one bit per distinct ipBlock saying whether the pod IP is in it.
/// </summary>
internal readonly record struct PodClassKey(string Namespace, Labels Labels, string NamedPorts, string IpBlockMembership);
