namespace Maille.Model;

/// <summary><c>spec.type</c> of a Service.</summary>
internal enum ServiceType
{
    ClusterIP,
    NodePort,
    LoadBalancer,
    ExternalName,
}
