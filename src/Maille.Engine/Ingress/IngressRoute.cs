using System.Collections.Immutable;
using System.Globalization;
using Maille.Model;

namespace Maille.Engine.Ingresses;

/// <summary>
/// One path of one Ingress rule (or an Ingress's <c>defaultBackend</c>) with its backend resolved against the cluster:
/// the Service, the Service port, the ready endpoints and the protocol to speak to them. Immutable; compiled once per
/// cluster state by <see cref="IngressRouteTable"/>.
/// </summary>
public sealed class IngressRoute
{
    public IngressRoute(Ingress ingress, int? ruleIndex, int? pathIndex, string? host, IngressPath? path, IngressBackend backend, IngressBackendResolution resolution)
    {
        Ingress = ingress;
        RuleIndex = ruleIndex;
        PathIndex = pathIndex;
        Host = host;
        Path = path?.Path;
        PathType = path?.PathType;
        Backend = backend;
        Service = resolution.Service;
        ServicePort = resolution.Port;
        Endpoints = resolution.Endpoints;
        Protocol = resolution.Protocol;
        Decision = new IngressDecision(resolution.Outcome, resolution.StatusCode, resolution.Reason, this);
    }

    public Ingress Ingress { get; }

    /// <summary><c>namespace/name</c> of the Ingress.</summary>
    public string IngressName => Ingress.Meta.QualifiedName;

    /// <summary>Index in <c>spec.rules</c>; null for the default backend.</summary>
    public int? RuleIndex { get; }

    /// <summary>Index in <c>http.paths</c>; null for the default backend.</summary>
    public int? PathIndex { get; }

    /// <summary>The rule's host as written (<c>shop.example</c>, <c>*.shop.example</c>); null for a rule without host and the default backend.</summary>
    public string? Host { get; }

    /// <summary>The path as written; null for the default backend (and an ImplementationSpecific path left empty).</summary>
    public string? Path { get; }

    /// <summary><c>Exact</c>, <c>Prefix</c> or <c>ImplementationSpecific</c>; null for the default backend.</summary>
    public string? PathType { get; }

    public bool IsDefaultBackend => RuleIndex is null;

    public IngressBackend Backend { get; }

    /// <summary><c>namespace/name</c> of the backend Service; null for a resource backend.</summary>
    public string? ServiceName => Backend.Service is { } service ? $"{Ingress.Namespace}/{service.Name}" : null;

    /// <summary>The Service when it exists.</summary>
    public Service? Service { get; }

    /// <summary>The Service port the backend names, by number or by name, when the Service has it.</summary>
    public ServicePort? ServicePort { get; }

    /// <summary>The ready endpoints, in address order; empty when there are none.</summary>
    public ImmutableArray<IngressEndpoint> Endpoints { get; }

    public BackendProtocol Protocol { get; }

    /// <summary>What a request that matches this route gets.</summary>
    public IngressDecision Decision { get; }

    /// <summary>Where the route comes from: <c>Ingress shop/web rule 0 path 1 (Prefix /api on shop.example)</c>.</summary>
    public override string ToString() => Describe(Ingress, RuleIndex, PathIndex, Host, Path, PathType);

    /// <summary>The text of <see cref="ToString"/>, for a route not built yet.</summary>
    public static string Describe(Ingress ingress, int? ruleIndex, int? pathIndex, string? host, string? path, string? pathType)
    {
        if (ruleIndex is null)
        {
            return $"Ingress {ingress.Meta.QualifiedName} defaultBackend";
        }

        var rule = string.Create(CultureInfo.InvariantCulture, $"rule {ruleIndex} path {pathIndex}");
        return $"Ingress {ingress.Meta.QualifiedName} {rule} ({pathType} {(string.IsNullOrEmpty(path) ? "(empty)" : path)} on {host ?? "any host"})";
    }
}
