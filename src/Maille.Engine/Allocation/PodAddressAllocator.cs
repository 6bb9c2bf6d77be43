using System.Net;
using Maille.Model;

namespace Maille.Engine.Allocation;

/// <summary>
/// Gives each scheduled pod an IP from its node's pod CIDR, in name order, skipping the network address and the
/// first host (kept for the node side of the pod network, as host-local IPAM does). Addresses a dump already carries
/// (<c>status.podIP</c>) are kept and reserved first; hostNetwork pods take their node's address.
/// </summary>
internal static class PodAddressAllocator
{
    public static IReadOnlyList<Pod> Assign(IReadOnlyList<Pod> pods, IReadOnlyDictionary<string, Node> nodes, List<Diagnostic> diagnostics)
    {
        var used = new HashSet<IPAddress>(pods.Where(p => !p.Spec.HostNetwork && p.Status.PodIP is not null).Select(p => p.Status.PodIP!));
        var cursor = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var result = new List<Pod>(pods.Count);
        foreach (var pod in pods.OrderBy(p => p.QualifiedName, StringComparer.Ordinal))
        {
            if (pod.Spec.NodeName is not { } nodeName || !nodes.TryGetValue(nodeName, out var node))
            {
                result.Add(pod);
                continue;
            }

            var status = pod.Status with { HostIP = pod.Status.HostIP ?? node.InternalIP, Ready = pod.Status.Ready ?? true, Phase = pod.Status.Phase ?? "Running" };
            if (pod.Spec.HostNetwork)
            {
                var address = node.InternalIP!;
                result.Add(pod with { Status = status with { PodIP = address, PodIPs = new[] { address } } });
                continue;
            }

            if (pod.Status.PodIP is { } given)
            {
                result.Add(pod with { Status = status with { PodIPs = status.PodIPs.IsEmpty ? new[] { given } : status.PodIPs } });
                continue;
            }

            var cidr = node.PodCidr!.Value;
            if (cidr.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                diagnostics.Add(new Diagnostic
                {
                    Type = FieldErrorType.Warning,
                    File = pod.Meta.Source.File,
                    Object = new ObjectRef("Pod", pod.Namespace, pod.Name),
                    Detail = $"node {nodeName}'s pod CIDR {cidr} is IPv6, and Maille allocates IPv4 only; give the pod a status.podIP, or it stays Pending",
                });
                result.Add(pod with { Status = status with { Phase = "Pending", Ready = false } });
                continue;
            }

            var size = IpMath.Size(cidr);
            var next = cursor.GetValueOrDefault(nodeName, 2ul);
            while (next < size - 1 && used.Contains(IpMath.Offset(cidr, next)))
            {
                next++;
            }

            if (next >= size - 1)
            {
                diagnostics.Add(new Diagnostic
                {
                    Type = FieldErrorType.Warning,
                    File = pod.Meta.Source.File,
                    Line = pod.Meta.Source.LineOf("metadata.name"),
                    Object = new ObjectRef("Pod", pod.Namespace, pod.Name),
                    Detail = $"node {nodeName} has no free address left in its pod CIDR {cidr}; the pod stays Pending",
                });
                result.Add(pod with { Status = status with { Phase = "Pending", Ready = false } });
                continue;
            }

            var ip = IpMath.Offset(cidr, next);
            used.Add(ip);
            cursor[nodeName] = next + 1;
            result.Add(pod with { Status = status with { PodIP = ip, PodIPs = new[] { ip } } });
        }

        return result;
    }
}
