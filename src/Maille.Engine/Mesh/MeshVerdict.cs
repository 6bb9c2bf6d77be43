using System.Collections.Immutable;
using Maille.Model;

namespace Maille.Engine.Mesh;

/// <summary>
/// The destination node proxy's decision for one connection (Istio ambient's ztunnel, evaluated after NetworkPolicy):
/// whether it arrived over HBONE with mTLS (both ends in the mesh) and with which identity, the PeerAuthentication mode
/// in force on the destination port and which policy set it, and the AuthorizationPolicy rule that decided.
/// </summary>
public sealed record MeshVerdict
{
    public static MeshVerdict NotInMesh { get; } = new() { Outcome = MeshOutcome.NotInMesh };

    public required MeshOutcome Outcome { get; init; }

    /// <summary>True when the node proxy judged the connection (the destination is in the mesh and it is TCP).</summary>
    public bool Applies => Outcome != MeshOutcome.NotInMesh;

    public bool Allowed => Outcome is MeshOutcome.NotInMesh or MeshOutcome.NoAllowPolicy or MeshOutcome.AllowedByPolicy;

    /// <summary>Carried over HBONE with mTLS: the source is in the mesh too. Otherwise it arrived as plaintext.</summary>
    public bool Mtls { get; init; }

    /// <summary>The source's SPIFFE identity when <see cref="Mtls"/>; plaintext has none.</summary>
    public string? SourceIdentity { get; init; }

    public string? DestinationIdentity { get; init; }

    /// <summary>The effective mode on the destination port: PERMISSIVE or STRICT (DISABLE reads as PERMISSIVE in ambient).</summary>
    public MtlsMode Mode { get; init; } = MtlsMode.Permissive;

    /// <summary>The PeerAuthentication that set <see cref="Mode"/>, or null for the default (PERMISSIVE).</summary>
    public string? ModeSetBy { get; init; }

    /// <summary>The DENY rule that denied or the ALLOW rule that allowed.</summary>
    public MeshRuleRef? DecidedBy { get; init; }

    /// <summary>The ALLOW policies selecting the workload, when one of their rules had to match.</summary>
    public ImmutableArray<string> AllowPolicies { get; init; } = [];

    /// <summary>ALLOW rules passed over because they name HTTP attributes the node proxy cannot see.</summary>
    public ImmutableArray<MeshRuleRef> SkippedL7Rules { get; init; } = [];

    /// <summary>The mode as Istio writes it.</summary>
    public string ModeText => Mode == MtlsMode.Strict ? "STRICT" : "PERMISSIVE";

    /// <summary>One line, e.g. <c>mTLS from spiffe://cluster.local/ns/x/sa/a (PERMISSIVE, default); allowed by AuthorizationPolicy y/p rule 0 (ALLOW)</c>.</summary>
    public override string ToString()
    {
        if (Outcome == MeshOutcome.NotInMesh)
        {
            return "not in the mesh: no node proxy judges it";
        }

        var mode = $"{ModeText}, {(ModeSetBy is null ? "the default" : $"set by PeerAuthentication {ModeSetBy}")}";
        var arrived = Mtls ? $"mTLS from {SourceIdentity} ({mode})" : $"plaintext from outside the mesh ({mode})";
        var skipped = SkippedL7Rules.IsEmpty ? "" : $"; {string.Join(", ", SkippedL7Rules.Select(r => $"{r.Policy} rule {r.Rule}"))} name HTTP attributes, which the node proxy cannot see, so never match";
        return Outcome switch
        {
            MeshOutcome.PlaintextRefused => $"{arrived}: refused, STRICT accepts only mTLS",
            MeshOutcome.DeniedByPolicy => $"{arrived}; denied by {DecidedBy}",
            MeshOutcome.NoAllowPolicy => $"{arrived}; no DENY rule matches and no ALLOW policy selects {DestinationIdentity}: allowed",
            MeshOutcome.AllowedByPolicy => $"{arrived}; allowed by {DecidedBy}{skipped}",
            _ => $"{arrived}; ALLOW policies {string.Join(", ", AllowPolicies)} select the workload and none of their rules matches{skipped}",
        };
    }
}
