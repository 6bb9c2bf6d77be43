namespace Maille.Engine.Mesh;

/// <summary>
/// Which waypoint a Service's traffic goes through, as istiod binds it: <see cref="Waypoint"/> when one is bound; else
/// null, with <see cref="Requested"/> (<c>namespace/name</c>) set when a label asked for a waypoint that cannot be
/// used. <see cref="Reason"/> says which label decided, and why a requested waypoint is not used.
/// </summary>
public sealed record WaypointBinding(Waypoint? Waypoint, string? Requested, string Reason)
{
    public static WaypointBinding None(string reason) => new(null, null, reason);

    public bool Bound => Waypoint is not null;
}
