using Maille.Engine.Mesh;

namespace Maille.Lab.Mesh;

/// <summary>
/// What the destination's node proxy does with a connection, from the engine's <see cref="MeshVerdict"/>: admit it
/// (connect to the pod and carry the bytes), or refuse it — an HBONE tunnel is answered <c>403</c> and the source's
/// proxy resets its client, a plaintext connection is reset — with the reason logged, the verdict's own words.
/// </summary>
internal sealed record MeshAdmission(bool Admitted, int HboneStatus, string Reason)
{
    public static MeshAdmission From(MeshVerdict verdict) => verdict.Allowed
        ? new MeshAdmission(true, 200, verdict.ToString())
        : new MeshAdmission(false, 403, verdict.ToString());
}
