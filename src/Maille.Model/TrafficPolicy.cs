namespace Maille.Model;

/// <summary><c>externalTrafficPolicy</c> / <c>internalTrafficPolicy</c>.</summary>
public enum TrafficPolicy
{
    Cluster,
    Local,
}
