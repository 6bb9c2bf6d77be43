namespace Maille.Engine.Ingresses;

/// <summary>
/// The compiled routing of Maille's Ingress controller for one cluster state: built once by <see cref="Build"/>,
/// then asked per request by the proxy and by <c>maille trace</c>. Immutable and safe to share between threads.
/// <para>
/// A request is routed in three steps. <b>Host</b>: the Host header (port and a trailing dot removed, lower-cased)
/// picks the rules of exactly that host; failing that, of the wildcard host <c>*.rest</c> whose <c>rest</c> follows
/// the request host's first label (a wildcard covers exactly one label); failing that, the rules without host.
/// <b>Path</b>: within the chosen host only (rules of another host are never tried), the longest matching path wins,
/// and Exact beats Prefix on a tie (see <see cref="IngressHostRoutes"/>). Rules for one host from several Ingresses
/// are merged; when two Ingresses have the same host, path and path type, the one first in
/// <see cref="IngressPrecedence"/> wins and the other is reported. <b>Otherwise</b>: the <c>defaultBackend</c> of the
/// first Ingress in precedence that has one, else 404.
/// </para>
/// </summary>
public sealed partial class IngressRouteTable
{
    private IngressRouteTable(
        IngressSelection selection,
        HostIndex<IngressHostRoutes> hosts,
        IngressHostRoutes? anyHost,
        IngressRoute? defaultBackend,
        IngressTlsTable tls,
        IReadOnlyList<string> controllerAddresses,
        IReadOnlyList<IngressProblem> problems)
    {
        Selection = selection;
        Hosts = hosts;
        AnyHost = anyHost;
        DefaultBackend = defaultBackend;
        Unmatched = defaultBackend?.Decision ?? IngressDecision.NoRoute;
        Tls = tls;
        ControllerAddresses = controllerAddresses;
        Problems = problems;
    }

    /// <summary>Which Ingresses are served, and which are left to other controllers.</summary>
    public IngressSelection Selection { get; }

    /// <summary>Paths by host, exact and wildcard.</summary>
    public HostIndex<IngressHostRoutes> Hosts { get; }

    /// <summary>Paths of the rules without host, if any.</summary>
    public IngressHostRoutes? AnyHost { get; }

    /// <summary>The <c>defaultBackend</c> that takes unmatched requests, if any Ingress has one.</summary>
    public IngressRoute? DefaultBackend { get; }

    /// <summary>What an unmatched request gets: the default backend's decision, or 404.</summary>
    public IngressDecision Unmatched { get; }

    /// <summary>The certificates of <c>spec.tls</c>, by server name.</summary>
    public IngressTlsTable Tls { get; }

    /// <summary>
    /// The controller's addresses, for every served Ingress's <c>status.loadBalancer.ingress</c>: the
    /// <c>status.loadBalancer.ingress</c> of <see cref="MailleIngressController.ServiceName"/> in
    /// <see cref="MailleIngressController.Namespace"/>; empty while it has none.
    /// </summary>
    public IReadOnlyList<string> ControllerAddresses { get; }

    /// <summary>Everything the controller works around: missing Services or ports, shadowed paths, refused backends, bad TLS Secrets.</summary>
    public IReadOnlyList<IngressProblem> Problems { get; }

    /// <summary>Routes one request. <paramref name="host"/> is the Host header as received (a port is ignored); <paramref name="path"/> the path without query.</summary>
    public IngressDecision Route(ReadOnlySpan<char> host, ReadOnlySpan<char> path) =>
        RoutesFor(host)?.Match(path)?.Decision ?? Unmatched;

    /// <summary>The rules a Host header selects: its exact host, else its wildcard host, else the rules without host.</summary>
    public IngressHostRoutes? RoutesFor(ReadOnlySpan<char> host) => Hosts.Find(host) ?? AnyHost;
}
