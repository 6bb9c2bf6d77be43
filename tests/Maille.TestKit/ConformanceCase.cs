using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Maille.Engine.Gateways;
using Maille.Kube;
using Maille.Kube.Patching;
using static Maille.TestKit.ConformanceRequests;

namespace Maille.TestKit;

/// <summary>
/// One conformance test written once, for the engine and for a live lab: <see cref="Objects"/> adds the test's objects
/// to the suite's base (<see cref="GatewayWorld.Conformance"/>), <see cref="Probes"/> are its requests and how each is
/// answered, <see cref="Statuses"/> the status fields it asserts. The engine's tests plan <see cref="World"/>; the live
/// tests apply <see cref="ObjectsYaml"/> to a lab that has the base, send the probes and read the statuses back.
/// A two-step test (the suite's observedGeneration and listener tests) then applies <see cref="Change"/>, objects that
/// replace those of the same kind and name, and asserts <see cref="ChangedStatuses"/>: the engine's tests plan
/// <see cref="ChangedWorld"/>, the live tests <c>kubectl apply</c> <see cref="ChangeYaml"/>.
/// </summary>
public sealed record ConformanceCase(string Name, Func<GatewayWorld, GatewayWorld> Objects)
{
    /// <summary>The Gateway the probes added next go to.</summary>
    public string Gateway { get; init; } = "same-namespace";

    public ImmutableArray<ConformanceProbe> Probes { get; init; } = [];

    public ImmutableArray<ExpectedStatus> Statuses { get; init; } = [];

    /// <summary>The second step's objects, applied once <see cref="Statuses"/> hold; null for a one-step test.</summary>
    public Func<GatewayWorld, GatewayWorld>? Change { get; init; }

    /// <summary>The statuses that must hold after <see cref="Change"/>.</summary>
    public ImmutableArray<ExpectedStatus> ChangedStatuses { get; init; } = [];

    /// <summary>The base with this test's objects, each as created (<c>metadata.generation</c> 1 where it has a spec, as a lab stamps it).</summary>
    public GatewayWorld World() =>
        new GatewayWorld().Add(ManifestDocument.RenderInOrder(ManifestDocument.Parse($"{Name} (first step)", Objects(GatewayWorld.Conformance()).Yaml).Select(d => Stamp(d, 1))));

    /// <summary>This test's objects alone, for a cluster that has the base already.</summary>
    public string ObjectsYaml => Objects(new GatewayWorld()).Yaml;

    /// <summary>The second step's objects alone.</summary>
    public string ChangeYaml => (Change ?? throw new InvalidOperationException($"{Name} has no second step"))(new GatewayWorld()).Yaml;

    /// <summary>
    /// The world after <see cref="Change"/>, as the API server keeps it: each object of the change replaces the one of
    /// its kind and name, and an object's <c>metadata.generation</c> goes one up when the change altered its spec.
    /// </summary>
    public GatewayWorld ChangedWorld()
    {
        var changed = ManifestDocument.Parse($"{Name} (second step)", ChangeYaml).ToDictionary(d => d.Key);
        var after = ManifestDocument.Parse($"{Name} (first step)", Objects(GatewayWorld.Conformance()).Yaml).Select(d =>
        {
            if (!changed.Remove(d.Key, out var change))
            {
                return Stamp(d, 1);
            }

            return Stamp(change, JsonNode.DeepEquals(ManifestJson.Of(d)["spec"], ManifestJson.Of(change)["spec"]) ? 1 : 2);
        }).ToList();
        after.AddRange(changed.Values.Select(created => Stamp(created, 1)));
        return new GatewayWorld().Add(ManifestDocument.RenderInOrder(after));
    }

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

    /// <summary>Statuses of the first step, or of the second once <see cref="Then"/> gave one.</summary>
    public ConformanceCase Status(params ExpectedStatus[] statuses) => Change is null
        ? this with { Statuses = Statuses.AddRange(statuses) }
        : this with { ChangedStatuses = ChangedStatuses.AddRange(statuses) };

    /// <summary>A second step: <paramref name="change"/>'s objects are applied once the first statuses hold; the statuses given next are the second step's.</summary>
    public ConformanceCase Then(Func<GatewayWorld, GatewayWorld> change) => this with { Change = change };

    public override string ToString() => Name;

    /// <summary>Stamps <paramref name="generation"/> on a document that has a spec, as the API server counts only changes of a spec.</summary>
    private static ManifestDocument Stamp(ManifestDocument document, long generation)
    {
        if (ManifestJson.Of(document).ContainsKey("spec"))
        {
            document.StampGeneration(generation);
        }

        return document;
    }
}
