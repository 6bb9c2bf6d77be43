using Maille.Kube;
using Maille.Model;

namespace Maille.Lab.Api;

/// <summary>
/// The events a published change means, in the words of the components that say them on a cluster. In the lab one
/// step does what a kubelet does in several: a pod's namespace, address and ports come up together, and it runs no
/// image (the lab's built-in server, or the container's <c>command</c>, stands for it). So a pod bound to a node gets
/// <c>Scheduled</c> (default-scheduler), and each of its containers <c>Pulled</c> (nothing to pull: "already present",
/// as for a cached image), <c>Created</c> and <c>Started</c> (kubelet) at once; a pod that goes gets <c>Killing</c>
/// for each container. A Service that gets LoadBalancer addresses gets MetalLB's <c>IPAllocated</c>; a node that stops
/// or comes back, <c>NodeNotReady</c> or <c>NodeReady</c>.
/// </summary>
internal static class ChangeEvents
{
    public static IEnumerable<EventRecord> Of(ApiResource resource, string type, ApiObject item, ApiObject? before)
    {
        switch (item.Model, type)
        {
            case (Pod pod, "ADDED"):
                return Started(pod);
            case (Pod pod, "MODIFIED") when before?.Model is Pod { Spec.NodeName: null } && pod.Spec.NodeName is not null:
                return Started(pod);
            case (Pod pod, "DELETED") when pod.Spec.NodeName is not null:
                return pod.Spec.Containers.Select(c => new EventRecord(Container(pod, c), "Normal", "Killing", $"Stopping container {c.Name}", "kubelet", pod.Spec.NodeName));
            case (Service service, "ADDED" or "MODIFIED") when !service.LoadBalancerIngress.IsEmpty
                && (before?.Model is not Service had || !had.LoadBalancerIngress.SequenceEqual(service.LoadBalancerIngress)):
                var addresses = string.Join(",", service.LoadBalancerIngress.Select(a => $"\"{a}\""));
                return [new EventRecord(Subject(resource, item), "Normal", "IPAllocated", $"Assigned IP [{addresses}]", "metallb-controller")];
            default:
                return [];
        }
    }

    /// <summary>A node whose readiness changed: the kubelet says it is ready again, the node controller that it is not.</summary>
    public static EventRecord NodeReadiness(ApiResource resource, ApiObject node, bool ready) => ready
        ? new EventRecord(Subject(resource, node), "Normal", "NodeReady", $"Node {node.Meta.Name} status is now: NodeReady", "kubelet", node.Meta.Name)
        : new EventRecord(Subject(resource, node), "Normal", "NodeNotReady", $"Node {node.Meta.Name} status is now: NodeNotReady", "node-controller");

    public static EventSubject Subject(ApiResource resource, ApiObject item) =>
        new(resource.ApiVersion, resource.Kind, item.Meta.Namespace, item.Meta.Name, ObjectUid.Of(resource.Kind, item.Meta));

    public static EventSubject Subject(Pod pod) => new("v1", "Pod", pod.Namespace, pod.Name, ObjectUid.Of("Pod", pod.Meta));

    private static EventSubject Container(Pod pod, Container container) => Subject(pod) with { FieldPath = $"spec.containers{{{container.Name}}}" };

    private static IEnumerable<EventRecord> Started(Pod pod)
    {
        if (pod.Spec.NodeName is not { } node)
        {
            yield break;
        }

        yield return new EventRecord(Subject(pod), "Normal", "Scheduled", $"Successfully assigned {pod.Namespace}/{pod.Name} to {node}", "default-scheduler");
        if (pod.Status.PodIP is null)
        {
            yield break;
        }

        foreach (var container in pod.Spec.Containers)
        {
            var image = container.Image ?? "";
            yield return new EventRecord(Container(pod, container), "Normal", "Pulled", $"Container image \"{image}\" already present on machine", "kubelet", node);
            yield return new EventRecord(Container(pod, container), "Normal", "Created", $"Created container {container.Name}", "kubelet", node);
            yield return new EventRecord(Container(pod, container), "Normal", "Started", $"Started container {container.Name}", "kubelet", node);
        }
    }
}
