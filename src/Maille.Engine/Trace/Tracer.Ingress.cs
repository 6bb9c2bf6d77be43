using System.Globalization;
using System.Net;
using Maille.Engine.Ingresses;
using Maille.Model;

namespace Maille.Engine.Trace;

public sealed partial class Tracer
{
    private IngressRouteTable? _ingress;

    /// <summary>The Ingress routing of the cluster, compiled on first use.</summary>
    public IngressRouteTable IngressRoutes => _ingress ??= IngressRouteTable.Build(cluster);

    /// <summary>
    /// An HTTP(S) request through Maille's Ingress controller: to the controller (its Service's LoadBalancer IP, or the
    /// URL's host taken as resolving to it), TLS certificate by SNI, the router's decision by Host and path, then from a
    /// controller pod straight to the backend's ready endpoints, with NetworkPolicy seeing the controller pod as the
    /// source. A URL whose host is an IP address that is not the controller's is traced as a plain TCP connection.
    /// </summary>
    private TraceResult TraceHttp(TraceSource source, TraceTarget target, TraceHttpRequest request, List<TraceHop> hops)
    {
        var controllerService = cluster.ServicesByName.GetValueOrDefault($"{MailleIngressController.Namespace}/{MailleIngressController.ServiceName}");
        var controllerAddresses = ControllerAddresses(controllerService);
        if (target.Address is { } address && !controllerAddresses.Contains(address.ToString()))
        {
            return TraceAddress(source, target, address, hops);
        }

        var decision = IngressRoutes.Route(request.Host, request.Path);
        var traced = decision.Route is { } matched ? Traced(matched) : null;
        TraceResult Unreachable(string reason) => TraceResult.NotReachable(reason, hops) with { ThroughIngress = true, Ingress = traced };

        var sourceNode = source.Pod?.Spec.NodeName;
        if (target.Address is null)
        {
            hops.Add(new TraceHop("dns", sourceNode, controllerAddresses.FirstOrDefault() ?? "the Ingress controller", controllerService is null
                ? $"{request.Host} is a name outside the cluster; with no Service {MailleIngressController.Namespace}/{MailleIngressController.ServiceName} in the input it is taken as routed to Maille's Ingress controller"
                : $"{request.Host} is a name outside the cluster, taken to resolve to the Ingress controller's address ({Describe(controllerService)})"));
        }

        var controller = ControllerPod();
        var expectedPort = request.IsHttps ? MailleIngressController.HttpsPort : MailleIngressController.HttpPort;
        if (request.Port != expectedPort)
        {
            hops.Add(new TraceHop("controller", null, "refused", $"the Ingress controller listens on {MailleIngressController.HttpPort} (http) and {MailleIngressController.HttpsPort} (https), not {request.Scheme} on {request.Port}"));
            return Unreachable($"nothing listens on the Ingress controller at {request.Scheme} port {request.Port}");
        }

        var toController = policy.Evaluate(PolicySource(source, Masquerade.None, null, null), policy.EndpointOf(controller.Pod), request.Port, Protocol.TCP);
        hops.Add(new TraceHop("controller", controller.Pod.Spec.NodeName, toController.Allowed ? "reached" : "denied",
            $"{source.Name} → {controller.Pod.QualifiedName}{(controller.Assumed ? " (assumed: no controller pod in the input)" : "")} on {request.Port}/TCP: {toController}"));
        if (!toController.Allowed)
        {
            return new TraceResult(TraceResult.Denied, $"NetworkPolicy denies {source.Name} → the Ingress controller on {request.Port}/TCP", hops, []) { ThroughIngress = true, Ingress = traced };
        }

        if (request.IsHttps)
        {
            hops.Add(TlsHop(request.Host));
        }

        var ruleText = decision.Route?.ToString();
        if (decision.Outcome == IngressOutcome.NotFound)
        {
            hops.Add(new TraceHop("ingress", null, "404", $"Host {request.Host}, path {request.Path}: no Ingress rule matches and no Ingress has a defaultBackend"));
            return Unreachable($"404 Not Found: no Ingress rule matches host {request.Host} path {request.Path}, and there is no default backend");
        }

        hops.Add(new TraceHop("ingress", null, decision.Outcome == IngressOutcome.Routed ? decision.Route!.IngressName : decision.StatusCode.ToString(CultureInfo.InvariantCulture),
            $"Host {request.Host}, path {request.Path}: {decision.Reason}", ruleText));
        if (decision.Outcome != IngressOutcome.Routed)
        {
            return Unreachable($"{decision.StatusCode} {(decision.StatusCode == 503 ? "Service Unavailable" : "Internal Server Error")}: {decision.Reason}");
        }

        var route = decision.Route!;
        var candidates = route.Endpoints.Select(e => new Candidate(e.Address.ToString(), e.Port, e.Node, e.Pod, true, true, false)).ToList();
        hops.Add(new TraceHop("service", controller.Pod.Spec.NodeName, $"{candidates.Count} endpoint{(candidates.Count == 1 ? "" : "s")}",
            $"the controller forwards to the ready endpoints of {route.ServiceName} port {route.ServicePort!.Name ?? route.ServicePort.Port.ToString(CultureInfo.InvariantCulture)} → targetPort {route.ServicePort.TargetPort} directly (not through the ClusterIP), speaking {ProtocolText(route.Protocol)}; the upstream path is {request.Path}, unchanged",
            $"{route.ServiceName} {route.ServicePort}"));
        var result = Deliver(new TraceSource(controller.Pod, controller.Pod.Status.PodIP ?? IPAddress.Any), hops, candidates, Protocol.TCP, Masquerade.None);
        return result with { ThroughIngress = true, Ingress = traced };
    }

    private TraceHop TlsHop(string host)
    {
        var certificate = IngressRoutes.Tls.ForServerName(host);
        if (certificate is null)
        {
            return new TraceHop("tls", null, "default certificate", $"SNI {host}: no spec.tls entry of a served Ingress lists it; the controller presents its self-signed default certificate");
        }

        return certificate.IsUsable
            ? new TraceHop("tls", null, $"Secret {certificate.SecretQualifiedName}", $"SNI {host}: spec.tls host {certificate.Host} of Ingress {certificate.Ingress.Meta.QualifiedName}")
            : new TraceHop("tls", null, "default certificate", $"SNI {host}: spec.tls host {certificate.Host} of Ingress {certificate.Ingress.Meta.QualifiedName}, but {certificate.Problem}; the controller presents its self-signed default certificate");
    }

    private static TracedIngress Traced(IngressRoute route) =>
        new(route.IngressName, route.Host, route.Path, route.PathType, route.ServiceName, route.ServicePort?.Port);

    private static string ProtocolText(BackendProtocol protocol) => protocol switch
    {
        BackendProtocol.H2c => "HTTP/2 without TLS (h2c)",
        BackendProtocol.Grpc => "gRPC over h2c",
        _ => "HTTP/1.1",
    };

    private static List<string> ControllerAddresses(Service? service) =>
        service is null ? [] : [.. service.LoadBalancerIngress, .. service.ExternalIPs, .. service.ClusterIP is { } ip ? [ip.ToString()] : Array.Empty<string>()];

    private static string Describe(Service service) => service.LoadBalancerIngress.IsEmpty
        ? $"{service.QualifiedName} has no LoadBalancer IP yet; its ClusterIP {service.ClusterIP} is used"
        : $"LoadBalancer IP of {service.QualifiedName}";

    /// <summary>
    /// The controller pod that proxies the request: the first ready one by name (they are alike); when the input has
    /// none, a stand-in in <see cref="MailleIngressController.Namespace"/> with the controller's label and no address,
    /// so that NetworkPolicy peers by namespace and pod selector judge it as they would the real pods.
    /// </summary>
    private (Pod Pod, bool Assumed) ControllerPod()
    {
        var pod = cluster.Pods.FirstOrDefault(p => p.Namespace == MailleIngressController.Namespace
            && p.Labels.Get(MailleIngressController.AppLabel) == MailleIngressController.AppLabelValue
            && p.Status.PodIP is not null && p.Status.Ready != false && !p.IsTerminating);
        return pod is null ? (StandInController, true) : (pod, false);
    }

    private static Pod StandInController { get; } = new()
    {
        Meta = new ObjectMeta
        {
            Name = "ingress-controller",
            Namespace = MailleIngressController.Namespace,
            Labels = Labels.Of((MailleIngressController.AppLabel, MailleIngressController.AppLabelValue)),
        },
        Spec = new PodSpec(),
    };
}
