using System.Net;
using System.Security.Cryptography.X509Certificates;
using Maille.Dataplane.Linux.Lab;
using Maille.Lab.Tests.Gateway;
using Maille.TestKit;
using static Maille.TestKit.GatewayWorld;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// One running lab for the Gateway tests, shared by a class: brought up empty (a namespace) by the first test that
/// asks (after <see cref="Privileged.Require"/>), then given <see cref="GatewayProxyWorld"/> with <c>kubectl apply
/// -f</c>, as a user would; taken down after the last test. The lab adds a proxy pod per Gateway; clients outside the
/// cluster use the <c>external</c> namespace and the Gateways' LoadBalancer addresses.
/// </summary>
public sealed class GatewayLabFixture : IDisposable
{
    private readonly Lazy<Started> _lab = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    internal sealed record Started(LiveLab Lab, string ApplyOutput, IPAddress Plain, IPAddress Secure, string ThumbprintA, string ThumbprintB)
    {
        /// <summary>HTTP clients from the <c>external</c> namespace to Gateway same-namespace's address.</summary>
        public NamespaceHttp ToPlain() => new(LabNames.External(Lab.Name), Plain);

        /// <summary>HTTP clients from the <c>external</c> namespace to Gateway secure's address.</summary>
        public NamespaceHttp ToSecure() => new(LabNames.External(Lab.Name), Secure);
    }

    internal Started Lab
    {
        get
        {
            Privileged.Require();
            return _lab.Value;
        }
    }

    public void Dispose()
    {
        if (_lab.IsValueCreated)
        {
            _lab.Value.Lab.Dispose();
        }
    }

    private static Started Start()
    {
        var lab = LiveLab.Up("apiVersion: v1\nkind: Namespace\nmetadata: {name: waiting}\n");
        try
        {
            var (crtA, keyA) = TestCertificates.Create("a.example");
            var (crtB, keyB) = TestCertificates.Create("b.example");
            using var a = X509Certificate2.CreateFromPem(crtA);
            using var b = X509Certificate2.CreateFromPem(crtB);
            var world = GatewayProxyWorld.Yaml(TestCertificates.SecretYaml(Infra, "a-tls", crtA, keyA) + TestCertificates.SecretYaml(Infra, "b-tls", crtB, keyB));
            var kubectl = new Kubectl(lab);
            var applied = kubectl.Succeed("apply", "-f", lab.File("gateways.yaml", world));
            var programmed = Poll.Until("the four Gateways are programmed", () =>
                kubectl.Succeed("get", "gateways", "-n", Infra, "-o", "jsonpath={.items[*].status.conditions[?(@.type==\"Programmed\")].status}").Split(' ').Count(s => s == "True") == 4,
                timeout: TimeSpan.FromSeconds(60));
            Assert.True(programmed.Met, programmed.ToString());
            IPAddress Address(string gateway) => IPAddress.Parse(kubectl.Succeed("get", "gateway", gateway, "-n", Infra, "-o", "jsonpath={.status.addresses[0].value}"));
            return new Started(lab, applied, Address(GatewayProxyWorld.Gateway), Address(GatewayProxyWorld.SecureGateway), a.Thumbprint, b.Thumbprint);
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }
}
