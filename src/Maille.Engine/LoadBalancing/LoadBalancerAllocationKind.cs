namespace Maille.Engine.LoadBalancing;

/// <summary>How a LoadBalancer Service came by its address, or why it has none.</summary>
public enum LoadBalancerAllocationKind
{
    /// <summary>The input already carried <c>status.loadBalancer.ingress</c> (a dump): kept as it is.</summary>
    Kept,

    /// <summary>The address the Service asked for (<c>metallb.io/loadBalancerIPs</c> or <c>spec.loadBalancerIP</c>).</summary>
    Requested,

    /// <summary>Chosen by the allocator from a pool.</summary>
    Allocated,

    /// <summary>No address could be given; the reason says why. EXTERNAL-IP shows <c>&lt;pending&gt;</c>.</summary>
    Pending,

    /// <summary>The Service names another <c>loadBalancerClass</c>: another controller's business.</summary>
    OtherClass,
}
