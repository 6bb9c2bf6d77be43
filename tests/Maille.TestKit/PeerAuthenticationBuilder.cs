using System.Text.Json;
using System.Text.Json.Nodes;
using Maille.Kube;
using Maille.Model;

namespace Maille.TestKit;

/// <summary>
/// Writes an Istio PeerAuthentication (<c>security.istio.io/v1</c>) from C#: mesh-wide (the root namespace),
/// namespace-wide, or for the workloads a selector picks, with an mTLS mode and modes per port.
/// </summary>
internal sealed class PeerAuthenticationBuilder
{
    private readonly JsonObject _spec = [];
    private readonly JsonObject _metadata;

    private PeerAuthenticationBuilder(string ns, string name, string? mode)
    {
        _metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (mode is not null)
        {
            _spec["mtls"] = new JsonObject { ["mode"] = mode };
        }
    }

    public static PeerAuthenticationBuilder MeshWide(string mode, string name = "default") => new(MeshApi.RootNamespace, name, mode);

    public static PeerAuthenticationBuilder Namespace(string ns, string mode, string name = "default") => new(ns, name, mode);

    /// <summary>The workloads of <paramref name="ns"/> with <paramref name="labels"/>; a null mode inherits.</summary>
    public static PeerAuthenticationBuilder Workload(string ns, string name, string? mode, params (string Key, string Value)[] labels)
    {
        var builder = new PeerAuthenticationBuilder(ns, name, mode);
        builder._spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) };
        return builder;
    }

    public PeerAuthenticationBuilder Port(int port, string mode)
    {
        if (_spec["portLevelMtls"] is not JsonObject ports)
        {
            _spec["portLevelMtls"] = ports = [];
        }

        ports[port.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject { ["mode"] = mode };
        return this;
    }

    /// <summary><c>metadata.creationTimestamp</c>: of two policies at one level, the oldest wins.</summary>
    public PeerAuthenticationBuilder CreatedAt(string timestamp)
    {
        _metadata["creationTimestamp"] = timestamp;
        return this;
    }

    /// <summary>Sets (or replaces) a raw field of the spec, for validation tests.</summary>
    public PeerAuthenticationBuilder With(string field, JsonNode? value)
    {
        _spec[field] = value;
        return this;
    }

    public string Yaml() => new JsonObject
    {
        ["apiVersion"] = MeshApi.Version,
        ["kind"] = MeshApi.PeerAuthenticationKind,
        ["metadata"] = _metadata.DeepClone(),
        ["spec"] = _spec.DeepClone(),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    public PeerAuthentication Build()
    {
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("peer.yaml", Yaml())]);
        Assert.Empty(diagnostics.Where(d => d.IsError));
        return Assert.Single(manifests.PeerAuthentications);
    }
}
