using Maille.Lab.Api;
using Maille.Lab.Mesh;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Mesh;

/// <summary>
/// A workload's rotating certificate: a connection made with it may open tunnels for a period after it stops being
/// current, and the destination proves the certificate again for every tunnel, so it must outlive that use.
/// </summary>
public sealed class WorkloadCertificateTests
{
    private static readonly WorkloadIdentity Client = new("mesh", "client");
    private static readonly TimeSpan Rotation = TimeSpan.FromSeconds(2);

    // A start with a fraction of a second: X.509 times have none, and the end must not lose it.
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, 700, TimeSpan.Zero));

    [Fact]
    public void A_certificate_is_valid_for_three_rotation_periods_from_its_issue_never_a_fraction_of_a_second_less()
    {
        using var authority = MeshCertificateAuthority.CreateEphemeral(_time);
        var issued = _time.GetUtcNow();

        using var certificate = new WorkloadCertificate(authority, Client, Rotation);

        Assert.Equal(3, WorkloadCertificate.ValidityPeriods);
        Assert.True(certificate.Current.NotAfter.ToUniversalTime() >= (issued + (Rotation * 3)).UtcDateTime, $"valid until {certificate.Current.NotAfter.ToUniversalTime():O}, issued {issued:O}");
        Assert.Equal(Rotation, certificate.ConnectionLifetime);
    }

    [Fact]
    public void A_connection_made_just_before_a_late_rotation_still_proves_its_certificate_on_its_last_tunnel()
    {
        using var authority = MeshCertificateAuthority.CreateEphemeral(_time);
        using var certificate = new WorkloadCertificate(authority, Client, Rotation);

        // The rotation comes half a period late (a loaded machine); a connection is made just before it, with the
        // certificate then current, and opens tunnels for its lifetime; its last tunnel reaches the destination's
        // proxy a quarter of a period later still.
        _time.Advance(Rotation * 1.5 - TimeSpan.FromMilliseconds(1));
        var presented = certificate.Current;
        certificate.Rotate();
        _time.Advance(certificate.ConnectionLifetime + (Rotation / 4));

        Assert.NotSame(presented, certificate.Current);
        Assert.Equal(Client, authority.Authenticate(presented, CertificateMaker.ClientAuthentication));
    }

    [Fact]
    public void A_replaced_certificate_is_disposed_at_the_first_rotation_after_it_expired_and_not_before()
    {
        using var authority = MeshCertificateAuthority.CreateEphemeral(_time);
        using var certificate = new WorkloadCertificate(authority, Client, Rotation);
        var first = certificate.Current;
        var expires = first.NotAfter.ToUniversalTime();

        var rotations = 0;
        while (_time.GetUtcNow().UtcDateTime <= expires)
        {
            _time.Advance(Rotation);
            certificate.Rotate();
            rotations++;

            // A disposed certificate has no handle left; until it expires, a handshake may still be using it.
            if (_time.GetUtcNow().UtcDateTime <= expires)
            {
                Assert.NotEqual(IntPtr.Zero, first.Handle);
                Assert.Equal(Client, authority.Authenticate(first, CertificateMaker.ClientAuthentication));
            }
        }

        Assert.Equal(IntPtr.Zero, first.Handle);
        Assert.Equal(WorkloadCertificate.ValidityPeriods + 1, rotations);
    }
}
