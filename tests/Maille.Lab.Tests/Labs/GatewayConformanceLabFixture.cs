using System.Net;
using Maille.Dataplane.Linux.Lab;
using Maille.TestKit;
using static Maille.TestKit.GatewayWorld;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// One running lab for the live conformance tests, shared by the class: brought up empty (a namespace) by the first
/// test that asks (after <see cref="Privileged.Require"/>), then given the conformance suite's base
/// (<see cref="GatewayWorld.Conformance"/>: its GatewayClass, namespaces, backends and three Gateways) with
/// <c>kubectl apply -f</c> once, as the suite's setup does; taken down after the last test, pass or fail. Each test
/// adds its own objects on top and deletes them when done.
/// </summary>
public sealed class GatewayConformanceLabFixture : IDisposable
{
    private readonly Lazy<LiveLab> _lab = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    internal LiveLab Lab
    {
        get
        {
            Privileged.Require();
            return _lab.Value;
        }
    }

    /// <summary>HTTP clients from the lab's <c>external</c> namespace (outside the cluster) to <paramref name="address"/>.</summary>
    internal NamespaceHttp From(IPAddress address) => new(LabNames.External(Lab.Name), address);

    public void Dispose()
    {
        if (_lab.IsValueCreated)
        {
            _lab.Value.Dispose();
        }
    }

    private static LiveLab Start()
    {
        var lab = LiveLab.Up("apiVersion: v1\nkind: Namespace\nmetadata: {name: waiting}\n");
        try
        {
            var kubectl = new Kubectl(lab);
            kubectl.Succeed("apply", "-f", lab.File("conformance-base.yaml", Conformance().Yaml));
            var programmed = Poll.Until("the base's three Gateways are programmed", () =>
                kubectl.Succeed("get", "gateways", "-n", Infra, "-o", "jsonpath={.items[*].status.conditions[?(@.type==\"Programmed\")].status}").Split(' ').Count(s => s == "True") == 3,
                timeout: TimeSpan.FromSeconds(60));
            Assert.True(programmed.Met, programmed.ToString());
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }
}
