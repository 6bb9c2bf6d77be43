using System.Security.Cryptography.X509Certificates;
using Maille.Model;

namespace Maille.Lab.Mesh;

/// <summary>
/// A meshed pod's current certificate, replaced by <see cref="Rotate"/> every rotation period. The destination's proxy
/// proves the client certificate of an HBONE connection again for every tunnel, at that tunnel's time, so the promise
/// kept here is that no connection opens a tunnel with a certificate that has expired:
/// <list type="bullet">
/// <item>a certificate is current for one period (longer when a loaded machine runs the rotation timer late);</item>
/// <item>a connection made with it opens tunnels for one more period (<see cref="ConnectionLifetime"/>, the HTTP/2 pool's
/// lifetime, checked when a tunnel picks its connection);</item>
/// <item>so it is valid for three periods (<see cref="ValidityPeriods"/>): the third covers a late rotation and the time a
/// tunnel's request takes to reach the destination's proxy. With two, a connection made just before a rotation outlived
/// its certificate by up to the second its X.509 end time lost to truncation, and a loaded machine's new tunnels were refused
/// with 403 at every rotation (issue 18).</item>
/// </list>
/// A replaced certificate is disposed once it has expired, never earlier: until then a handshake that picked it may
/// still be under way.
/// </summary>
internal sealed class WorkloadCertificate : IDisposable
{
    /// <summary>How many rotation periods a certificate is valid for.</summary>
    public const int ValidityPeriods = 3;

    private readonly Lock _gate = new();
    private readonly MeshCertificateAuthority _authority;
    private readonly TimeSpan _rotation;
    private readonly Queue<X509Certificate2> _replaced = new();
    private X509Certificate2 _current;

    public WorkloadCertificate(MeshCertificateAuthority authority, WorkloadIdentity identity, TimeSpan rotation)
    {
        _authority = authority;
        _rotation = rotation;
        Identity = identity;
        _current = authority.Issue(identity, rotation * ValidityPeriods);
    }

    public WorkloadIdentity Identity { get; }

    public X509Certificate2 Current => Volatile.Read(ref _current);

    /// <summary>How long a connection made with a certificate may open tunnels: one rotation period.</summary>
    public TimeSpan ConnectionLifetime => _rotation;

    public void Rotate()
    {
        var next = _authority.Issue(Identity, _rotation * ValidityPeriods);
        lock (_gate)
        {
            _replaced.Enqueue(_current);
            Volatile.Write(ref _current, next);
            // Expired on the authority's clock, the one its certificates' times and its proofs are read on.
            var now = _authority.Now.UtcDateTime;
            while (_replaced.TryPeek(out var oldest) && oldest.NotAfter.ToUniversalTime() < now)
            {
                _replaced.Dequeue().Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            while (_replaced.TryDequeue(out var replaced))
            {
                replaced.Dispose();
            }

            _current.Dispose();
        }
    }
}
