using System.Collections.Immutable;
using Maille.Engine.Gateways;
using static Maille.TestKit.ConformanceRequests;

namespace Maille.TestKit;

/// <summary>
/// One conformance test written once, for the engine and for a live lab: <see cref="Objects"/> adds the test's objects
/// to the suite's base (<see cref="GatewayWorld.Conformance"/>), <see cref="Probes"/> are its requests and how each is
/// answered, <see cref="Statuses"/> the status fields it asserts. The engine's tests plan <see cref="World"/>; the live
/// tests apply <see cref="ObjectsYaml"/> to a lab that has the base, send the probes and read the statuses back.
/// </summary>
public sealed record ConformanceCase(string Name, Func<GatewayWorld, GatewayWorld> Objects)
{
    /// <summary>The Gateway the probes added next go to.</summary>
    public string Gateway { get; init; } = "same-namespace";

    public ImmutableArray<ConformanceProbe> Probes { get; init; } = [];

    public ImmutableArray<ExpectedStatus> Statuses { get; init; } = [];

    /// <summary>The base with this test's objects.</summary>
    public GatewayWorld World() => Objects(GatewayWorld.Conformance());

    /// <summary>This test's objects alone, for a cluster that has the base already.</summary>
    public string ObjectsYaml => Objects(new GatewayWorld()).Yaml;

    /// <summary>The probes added after this go to <paramref name="gateway"/>.</summary>
    public ConformanceCase On(string gateway) => this with { Gateway = gateway };

    public ConformanceCase Expect(GatewayRequest request, string expected) => this with { Probes = Probes.Add(new ConformanceProbe(Gateway, request, expected)) };

    /// <summary>GET <paramref name="path"/> of example.com answered by <paramref name="expected"/> (a backend or a status).</summary>
    public ConformanceCase Expect(string path, string expected) => Expect(Get(path), expected);

    public ConformanceCase Expect(string path, string host, string expected) => Expect(Get(path, host), expected);

    /// <summary>The request reaches <paramref name="backend"/> with <paramref name="headers"/> (a null value: without that header).</summary>
    public ConformanceCase ExpectHeaders(GatewayRequest request, string backend, params (string Name, string? Value)[] headers) =>
        this with { Probes = Probes.Add(new ConformanceProbe(Gateway, request, backend) { BackendHeaders = headers }) };

    public ConformanceCase ExpectRedirect(GatewayRequest request, int status, string location) =>
        this with { Probes = Probes.Add(new ConformanceProbe(Gateway, request, status.ToString(System.Globalization.CultureInfo.InvariantCulture)) { Location = location }) };

    /// <summary>The request's backend is drawn among <paramref name="weights"/> in proportion.</summary>
    public ConformanceCase ExpectWeights(GatewayRequest request, params (string Backend, int Weight)[] weights) =>
        this with { Probes = Probes.Add(new ConformanceProbe(Gateway, request, "") { Weights = weights }) };

    public ConformanceCase Status(params ExpectedStatus[] statuses) => this with { Statuses = Statuses.AddRange(statuses) };

    public override string ToString() => Name;
}
