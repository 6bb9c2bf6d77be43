using Maille.Engine.LoadBalancing;
using Maille.Model;

namespace Maille.Engine.Analysis;

/// <summary>
/// Lint for LoadBalancer Services: those left to another controller, and addresses no node announces (no
/// L2Advertisement for the pool, no node selected, no ready endpoint). Pending allocations are planning warnings
/// already and are not repeated here.
/// </summary>
public static class LoadBalancerFindings
{
    public static IEnumerable<Finding> For(ClusterState cluster)
    {
        foreach (var allocation in cluster.LoadBalancing.Allocations.Where(a => a.Kind == LoadBalancerAllocationKind.OtherClass))
        {
            var service = cluster.ServicesByName[allocation.Service];
            yield return new Finding("LoadBalancerOtherClass", new ObjectRef("Service", service.Namespace, service.Name),
                allocation.Reason + ": Maille gives it no address", service.Meta.Source);
        }

        foreach (var announcement in L2AnnouncerElection.Elect(cluster).Where(a => a.Node is null))
        {
            var service = cluster.ServicesByName[announcement.Services[0]];
            var others = announcement.Services.Count > 1 ? $" (shared with {string.Join(", ", announcement.Services.Skip(1))})" : "";
            yield return new Finding("LoadBalancerNotAnnounced", new ObjectRef("Service", service.Namespace, service.Name),
                $"{announcement.Address}{others} is not announced on the node network: {announcement.Reason}", service.Meta.Source);
        }
    }
}
