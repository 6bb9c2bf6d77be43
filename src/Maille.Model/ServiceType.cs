namespace Maille.Model;

/// <summary><c>spec.type</c> of a Service.</summary>
public enum ServiceType
{
    ClusterIP,
    NodePort,
    LoadBalancer,
    ExternalName,
}
