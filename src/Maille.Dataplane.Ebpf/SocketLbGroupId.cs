using Maille.Engine.ServiceProxy;

namespace Maille.Dataplane.Ebpf;

/// <summary>
/// Which of a Service port's entries in the maps: its ClusterIP traffic (with the external addresses too when they use
/// the same endpoints), or, when they do not, its external addresses as processes inside the cluster reach them.
/// </summary>
public readonly record struct SocketLbGroupId(ServicePortId Port, bool External);
