namespace Maille.TestKit;

/// <summary>Which traffic policy of a Service a connection is judged by.</summary>
internal enum ServiceTraffic
{
    /// <summary>A pod to the ClusterIP: internalTrafficPolicy.</summary>
    Internal,

    /// <summary>A pod (or a node, to its own addresses) to a NodePort or the LoadBalancer address: the Cluster endpoints.</summary>
    ExternalFromPod,

    /// <summary>A client outside the cluster (or on another node) to a NodePort or the LoadBalancer address: externalTrafficPolicy.</summary>
    ExternalFromOutside,
}
