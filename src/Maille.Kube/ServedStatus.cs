using System.Globalization;
using k8s.Models;
using Maille.Model;

namespace Maille.Kube;

/// <summary>
/// The status the API server shows for a pod or a node of a running lab, as the kubelet would report it: what
/// <c>kubectl describe</c> prints. <see cref="KubeObjectWriter"/> writes what the plan says (for <c>maille get</c>); these
/// add what only the running lab knows: when things happened, whether a node answers, what the machine has.
/// </summary>
public static class ServedStatus
{
    /// <summary>
    /// A pod's status: phase, the four conditions with their transition times, addresses, start time and one
    /// running (or, while pending, waiting) status per container. A lab pod runs no image and never restarts, except
    /// what the lab supervises itself (its node agents): <paramref name="restarts"/> then says how often and how the last
    /// one ended, for every container of the pod.
    /// </summary>
    public static V1PodStatus Pod(Pod pod, PodTimes times, ContainerRestarts? restarts = null)
    {
        var status = pod.Status;
        var scheduled = pod.Spec.NodeName is not null;
        var running = status.PodIP is not null && status.Phase is "Running";
        var ready = running && status.Ready != false;
        var started = Timestamp(times.Started);
        var readyChanged = Timestamp(times.ReadyChanged);
        return new V1PodStatus
        {
            Phase = status.Phase ?? "Pending",
            Conditions =
            [
                new V1PodCondition { Type = "PodScheduled", Status = scheduled ? "True" : "False", LastTransitionTime = started, Reason = scheduled ? null : "Unschedulable" },
                new V1PodCondition { Type = "Initialized", Status = "True", LastTransitionTime = started },
                new V1PodCondition { Type = "ContainersReady", Status = ready ? "True" : "False", LastTransitionTime = readyChanged, Reason = ready ? null : "ContainersNotReady" },
                new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = readyChanged, Reason = ready ? null : "ContainersNotReady" },
            ],
            HostIP = status.HostIP?.ToString(),
            HostIPs = status.HostIP is { } host ? [new V1HostIP { Ip = host.ToString() }] : null,
            PodIP = status.PodIP?.ToString(),
            PodIPs = status.PodIPs.IsEmpty ? null : [.. status.PodIPs.Select(ip => new V1PodIP { Ip = ip.ToString() })],
            StartTime = scheduled ? started : null,
            QosClass = "BestEffort",
            ContainerStatuses = [.. pod.Spec.Containers.Select(c => new V1ContainerStatus
            {
                Name = c.Name,
                Image = c.Image ?? "",
                ImageID = "",
                ContainerID = running ? $"maille://{ObjectUid.Of("Container", pod.Namespace, $"{pod.Name}/{c.Name}", times.Started)}" : null,
                Ready = ready,
                Started = running,
                RestartCount = restarts?.Count ?? 0,
                LastState = restarts is null ? null : new V1ContainerState
                {
                    Terminated = new V1ContainerStateTerminated { ExitCode = restarts.ExitCode, Reason = restarts.Reason, FinishedAt = Timestamp(restarts.FinishedAt) },
                },
                State = running
                    ? new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = restarts is null ? started : Timestamp(restarts.StartedAt) } }
                    : new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = scheduled ? "ContainerCreating" : "Pending" } },
            })],
        };
    }

    /// <summary>
    /// A node's status: Ready (False while the node is stopped or does not answer), no memory, disk or PID pressure,
    /// its addresses, and the machine's capacity (all of it allocatable: the lab reserves nothing).
    /// </summary>
    /// <param name="since">When the node's readiness last changed (the lab's start, or its last stop or start).</param>
    public static V1NodeStatus Node(Node node, bool ready, DateTimeOffset since, NodeSystem system)
    {
        var changed = Timestamp(since);
        var resources = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new(system.Cpus.ToString(CultureInfo.InvariantCulture)),
            ["memory"] = new($"{system.MemoryKibibytes.ToString(CultureInfo.InvariantCulture)}Ki"),
            ["pods"] = new(system.Pods.ToString(CultureInfo.InvariantCulture)),
        };
        return new V1NodeStatus
        {
            Conditions =
            [
                Pressure("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", changed),
                Pressure("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", changed),
                Pressure("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available", changed),
                ready
                    ? new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady", Message = "kubelet is posting ready status", LastHeartbeatTime = changed, LastTransitionTime = changed }
                    : new V1NodeCondition { Type = "Ready", Status = "False", Reason = "NodeStatusUnknown", Message = "the node is stopped or does not answer on the node network", LastHeartbeatTime = changed, LastTransitionTime = changed },
            ],
            Addresses = [new V1NodeAddress { Address = node.InternalIP?.ToString(), Type = "InternalIP" }, new V1NodeAddress { Address = node.Name, Type = "Hostname" }],
            Capacity = resources,
            Allocatable = new Dictionary<string, ResourceQuantity>(resources, StringComparer.Ordinal),
            DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = 10250 } },
            NodeInfo = new V1NodeSystemInfo
            {
                MachineID = system.MachineId,
                SystemUUID = ObjectUid.Of("Node", null, node.Name, null),
                BootID = system.BootId,
                KernelVersion = system.KernelVersion,
                OsImage = system.OsImage,
                ContainerRuntimeVersion = system.ContainerRuntimeVersion,
                KubeletVersion = system.KubeletVersion,
                KubeProxyVersion = "",
                OperatingSystem = "linux",
                Architecture = system.Architecture,
            },
        };
    }

    /// <summary>A time as the API's timestamps hold it: RFC 3339 in whole seconds (<c>metav1.Time</c>), UTC.</summary>
    public static DateTime Timestamp(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static V1NodeCondition Pressure(string type, string reason, string message, DateTime since) =>
        new() { Type = type, Status = "False", Reason = reason, Message = message, LastHeartbeatTime = since, LastTransitionTime = since };
}
