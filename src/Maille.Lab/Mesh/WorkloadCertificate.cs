using System.Security.Cryptography.X509Certificates;
using Maille.Model;

namespace Maille.Lab.Mesh;

/// <summary>
/// A meshed pod's current certificate, replaced by <see cref="Rotate"/> every rotation period; each is valid for two
/// periods, so a handshake that picked the previous one just before a rotation still completes. The one before the
/// previous is disposed at a rotation: nothing can still be using it.
/// </summary>
internal sealed class WorkloadCertificate(MeshCertificateAuthority authority, WorkloadIdentity identity, TimeSpan rotation) : IDisposable
{
    private readonly Lock _gate = new();
    private X509Certificate2 _current = authority.Issue(identity, rotation * 2);
    private X509Certificate2? _previous;

    public WorkloadIdentity Identity { get; } = identity;

    public X509Certificate2 Current => Volatile.Read(ref _current);

    public void Rotate()
    {
        var next = authority.Issue(Identity, rotation * 2);
        lock (_gate)
        {
            _previous?.Dispose();
            _previous = _current;
            Volatile.Write(ref _current, next);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _previous?.Dispose();
            _current.Dispose();
        }
    }
}
