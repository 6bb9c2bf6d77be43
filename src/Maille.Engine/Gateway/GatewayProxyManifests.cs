using System.Globalization;
using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// What a lab adds to serve each Gateway of a Maille class, as an implementation provisions a proxy per Gateway: a
/// Deployment <c>maille-gateway-NAME</c> in the Gateway's namespace whose pods carry
/// <see cref="GatewayController.GatewayNameLabel"/> (so the Gateway's LoadBalancer Service,
/// <see cref="GatewayServices"/>, selects them) and <see cref="ManagedByLabel"/>, with one TCP port per listener port,
/// named <c>https-PORT</c> when a listener on that port speaks HTTPS and <c>http-PORT</c> otherwise. The lab hands these
/// ports to the same proxy as the Ingress controller's. Added only for Gateways that get their Service, and when the
/// input has no workload of that name.
/// </summary>
public static class GatewayProxyManifests
{
    /// <summary>The label that marks a pod as a Gateway proxy pod of Maille's (the gateway-name label alone is the Service's selector).</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    public const string ManagedByValue = "maille-gateway";

    /// <summary>One proxy pod per Gateway: the proxy is in the lab's process, a second pod would only add a second socket.</summary>
    public const int Replicas = 1;

    public static SourceLocation Source { get; } = new("<gateway proxy>", null);

    public static ManifestSet With(ManifestSet manifests)
    {
        var withServices = GatewayServices.With(manifests);
        if (ReferenceEquals(withServices, manifests))
        {
            return manifests;
        }

        var served = withServices.Services.Where(s => s.Meta.Source == GatewayServices.Source).Select(s => s.QualifiedName).ToHashSet(StringComparer.Ordinal);
        var workloads = manifests.Workloads.Select(w => $"{w.Meta.Namespace}/{w.Meta.Name}").ToHashSet(StringComparer.Ordinal);
        var added = manifests.Gateways
            .Where(g => served.Contains($"{g.Namespace}/{GatewayController.ServiceNameOf(g)}") && !workloads.Contains($"{g.Namespace}/{GatewayController.ServiceNameOf(g)}"))
            .Select(Deployment)
            .ToList();
        return added.Count == 0 ? manifests : manifests with { Workloads = new([.. manifests.Workloads, .. added]) };
    }

    /// <summary>A Gateway proxy pod of Maille's: the lab hands its ports to the proxy.</summary>
    public static bool IsProxyPod(Pod pod) =>
        pod.Labels.Get(ManagedByLabel) == ManagedByValue && pod.Labels.Get(GatewayController.GatewayNameLabel) is not null;

    /// <summary><c>namespace/name</c> of the Gateway a proxy pod serves.</summary>
    public static string GatewayOf(Pod pod) => $"{pod.Namespace}/{pod.Labels.Get(GatewayController.GatewayNameLabel)}";

    /// <summary>Whether a proxy pod's port (named by <see cref="With"/>) takes TLS.</summary>
    public static bool IsTlsPort(string? portName) => portName?.StartsWith("https-", StringComparison.Ordinal) == true;

    private static Workload Deployment(Gateway gateway)
    {
        var labels = Labels.Of((GatewayController.GatewayNameLabel, gateway.Meta.Name), (ManagedByLabel, ManagedByValue));
        var name = GatewayController.ServiceNameOf(gateway);
        return new Workload
        {
            Kind = WorkloadKind.Deployment,
            Meta = new ObjectMeta { Name = name, Namespace = gateway.Namespace, Labels = labels, Source = Source },
            Replicas = Replicas,
            Selector = new LabelSelector { MatchLabels = labels },
            Template = new PodTemplate
            {
                Labels = labels,
                Spec = new PodSpec
                {
                    Containers = new[]
                    {
                        new Container
                        {
                            Name = "proxy",
                            Image = "maille/gateway-proxy", // served in the lab daemon's process, not by an image
                            Ports = new(gateway.Listeners.Where(l => l.Port is >= 1 and <= 65535).GroupBy(l => l.Port).OrderBy(g => g.Key).Select(g =>
                                new ContainerPort(
                                    (g.Any(l => l.Protocol == "HTTPS") ? "https-" : "http-") + g.Key.ToString(CultureInfo.InvariantCulture),
                                    g.Key,
                                    Protocol.TCP))),
                        },
                    },
                },
            },
        };
    }
}
