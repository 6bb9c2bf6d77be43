using Maille.Engine.ServiceProxy;

namespace Maille.Dataplane.Ebpf;

/// <summary>
/// Which of a Service port's entries in the maps: its ClusterIP traffic (with the external addresses too when they use
/// the same endpoints), its external addresses as processes inside the cluster reach them when they do not, or its
/// external addresses as connections from outside the node reach them.
/// </summary>
public readonly record struct SocketLbGroupId(ServicePortId Port, SocketLbTraffic Traffic);
