namespace Maille.Engine.Mesh;

/// <summary>What the destination's node proxy decided for one connection, in the order it decides.</summary>
public enum MeshOutcome
{
    /// <summary>The destination is not in the mesh (or the protocol is not TCP): no node proxy judges it.</summary>
    NotInMesh,

    /// <summary>Plaintext from outside the mesh to a workload whose PeerAuthentication mode is STRICT.</summary>
    PlaintextRefused,

    /// <summary>A rule of a DENY AuthorizationPolicy matched.</summary>
    DeniedByPolicy,

    /// <summary>No DENY rule matched and no ALLOW policy selects the workload.</summary>
    NoAllowPolicy,

    /// <summary>A rule of an ALLOW AuthorizationPolicy matched.</summary>
    AllowedByPolicy,

    /// <summary>ALLOW policies select the workload and none of their rules matched.</summary>
    NoAllowRuleMatched,
}
