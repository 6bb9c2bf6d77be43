using Maille.Model;

namespace Maille.Engine.Ingresses;

/// <summary>
/// Writes <c>status.loadBalancer.ingress</c> of every Ingress Maille's controller serves, as a controller does in a
/// cluster (ingress-nginx's <c>--publish-service</c>, YARP's controller): the addresses of the controller's
/// LoadBalancer Service (<see cref="MailleIngressController.ServiceName"/> in <see cref="MailleIngressController.Namespace"/>),
/// as planning allocated them, the same list as <see cref="IngressRouteTable.ControllerAddresses"/>; empty while it
/// has none. Without that Service in the cluster no controller of Maille's runs to write a status, so every Ingress keeps
/// the one its input had; so do Ingresses of other controllers.
/// </summary>
internal static class IngressStatusPublisher
{
    /// <param name="services">The planned Services, LoadBalancer addresses allocated.</param>
    public static EquatableArray<Ingress> Publish(ManifestSet manifests, IEnumerable<Service> services)
    {
        var controller = services.FirstOrDefault(s => s.Namespace == MailleIngressController.Namespace && s.Name == MailleIngressController.ServiceName);
        if (controller is null || manifests.Ingresses.IsEmpty)
        {
            return manifests.Ingresses;
        }

        var served = IngressClassSelector.Select(manifests.IngressClasses, manifests.Ingresses).Served.ToHashSet(ReferenceEqualityComparer.Instance);
        return new(manifests.Ingresses.Select(i => served.Contains(i) && i.LoadBalancerIngress != controller.LoadBalancerIngress
            ? i with { LoadBalancerIngress = controller.LoadBalancerIngress }
            : i));
    }
}
