using Maille.Model;

namespace Maille.Engine.LoadBalancing;

/// <summary>
/// The Service annotations and class Maille's load balancer reads, MetalLB's own names so existing manifests keep
/// working. Each annotation is also read under MetalLB's former prefix <c>metallb.universe.tf/</c>.
/// </summary>
internal static class LoadBalancerAnnotations
{
    /// <summary>
    /// The <c>spec.loadBalancerClass</c> Maille answers besides no class at all; a Service with any other class is left
    /// to the controller of that class (its EXTERNAL-IP stays as the input has it).
    /// </summary>
    public const string MailleClass = "maille.dev/lb";

    public const string LoadBalancerIPs = "metallb.io/loadBalancerIPs";

    public const string AddressPool = "metallb.io/address-pool";

    public const string AllowSharedIP = "metallb.io/allow-shared-ip";

    /// <summary>Written by the allocator, as MetalLB's controller writes it: the pool the address came from.</summary>
    public const string AllocatedFromPool = "metallb.io/ip-allocated-from-pool";

    private const string Prefix = "metallb.io/";
    private const string DeprecatedPrefix = "metallb.universe.tf/";

    public static bool IsHandled(Service service) =>
        service.Type == ServiceType.LoadBalancer && (service.LoadBalancerClass is null || service.LoadBalancerClass == MailleClass);

    /// <summary>The annotation's value (the stable name first, then the deprecated one) and the key it was found under.</summary>
    public static (string? Value, string Key) Get(Service service, string annotation)
    {
        if (service.Meta.Annotations.TryGetValue(annotation, out var value))
        {
            return (value, annotation);
        }

        var deprecated = DeprecatedPrefix + annotation[Prefix.Length..];
        return service.Meta.Annotations.TryGetValue(deprecated, out value) ? (value, deprecated) : (null, annotation);
    }
}
