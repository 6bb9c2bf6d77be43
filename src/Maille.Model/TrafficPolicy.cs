namespace Maille.Model;

/// <summary><c>externalTrafficPolicy</c> / <c>internalTrafficPolicy</c>.</summary>
internal enum TrafficPolicy
{
    Cluster,
    Local,
}
