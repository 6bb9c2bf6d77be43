namespace Maille.Lab.Api;

/// <summary>
/// Who may do what in a lab's API, decided per request before its handler runs. Two roles, as on a cluster:
/// <list type="bullet">
/// <item><c>system:masters</c> (the admin certificate; root on the Unix socket, which is 0600) may do everything.</item>
/// <item><c>system:nodes</c> (a node agent's certificate, <c>CN=system:node:NAME</c>) may read what a node's network
/// agents read on a cluster (kube-proxy's <c>system:node-proxier</c>, a CNI agent's and MetalLB's speaker's roles):
/// get, list and watch Services, EndpointSlices, Nodes, Pods, Namespaces, NetworkPolicies, ClusterNetworkPolicies and
/// MetalLB's pools and advertisements; create Events; and update or patch the status of its own Node only.</item>
/// </list>
/// Anything else is refused with the API server's message. Discovery, <c>/version</c>, OpenAPI and reviewing one's own
/// access are open to every authenticated caller, as <c>system:discovery</c> and <c>system:basic-user</c> make them on a
/// cluster.
/// </summary>
public static class LabAuthorizer
{
    public const string NodesGroup = "system:nodes";
    public const string NodeUserPrefix = "system:node:";

    private static readonly HashSet<string> ReadVerbs = ["get", "list", "watch"];

    /// <summary>What a node's agents read, by API group and resource.</summary>
    private static readonly HashSet<(string Group, string Resource)> NodeReadable =
    [
        ("", "services"), ("", "endpoints"), ("", "nodes"), ("", "pods"), ("", "namespaces"),
        ("discovery.k8s.io", "endpointslices"), ("networking.k8s.io", "networkpolicies"),
        ("metallb.io", "ipaddresspools"), ("metallb.io", "l2advertisements"),
        ("policy.networking.k8s.io", "clusternetworkpolicies"), ("policy.networking.k8s.io", "adminnetworkpolicies"),
        ("policy.networking.k8s.io", "baselineadminnetworkpolicies"),
    ];

    /// <summary>The decision and, when refused, the API server's words for it (a 403 <c>Forbidden</c> Status).</summary>
    public static (bool Allowed, string Reason) Decide(LabIdentity? identity, RequestAttributes request)
    {
        if (identity is null || identity.Groups.Contains(LabCredentials.AdminGroup))
        {
            return (true, "the lab's admin (system:masters) may do everything");
        }

        if (!request.IsResourceRequest)
        {
            return request.Verb is "get" or "head"
                ? (true, "discovery, /version and OpenAPI are readable by every authenticated user")
                : (false, $"User \"{identity.User}\" cannot {request.Verb} path \"{request.Path}\"");
        }

        if (request is { Group: LabApiServer.AuthorizationGroup, Resource: "selfsubjectaccessreviews", Verb: "create" })
        {
            // Asking what one may do is open to everyone authenticated (the API server's system:basic-user).
            return (true, "every authenticated user may review its own access");
        }

        if (identity.Groups.Contains(NodesGroup) && identity.User.StartsWith(NodeUserPrefix, StringComparison.Ordinal) && NodeMay(identity.User[NodeUserPrefix.Length..], request))
        {
            return (true, $"a node's agents ({NodesGroup}) may {request.Verb} {request.QualifiedResource}");
        }

        return (false, Forbidden(identity, request));
    }

    private static bool NodeMay(string node, RequestAttributes request)
    {
        if (request.Subresource is null && ReadVerbs.Contains(request.Verb) && NodeReadable.Contains((request.Group, request.Resource)))
        {
            return true;
        }

        if (request is { Group: "", Resource: "events", Subresource: null, Verb: "create" or "patch" } or { Group: "events.k8s.io", Resource: "events", Subresource: null, Verb: "create" or "patch" })
        {
            return true;
        }

        // Its own agent's status report (maille.dev's NodeAgent), never another node's.
        if (request is { Group: "maille.dev", Resource: "nodeagents", Subresource: "status" or null, Verb: "get" or "update" } && request.Name == node)
        {
            return true;
        }

        // Its own Node's status (conditions such as the agents' readiness), never another node's.
        return request is { Group: "", Resource: "nodes", Subresource: "status", Verb: "get" or "update" or "patch" } && request.Name == node;
    }

    /// <summary>The API server's refusal: <c>pods is forbidden: User "u" cannot create resource "pods" in API group "" in the namespace "x"</c>.</summary>
    private static string Forbidden(LabIdentity identity, RequestAttributes request)
    {
        var what = request.Name is null ? request.Resource : $"{request.Resource} \"{request.Name}\"";
        var scope = request.Namespace is null ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
        var resource = request.Subresource is null ? $"resource \"{request.Resource}\"" : $"resource \"{request.Resource}/{request.Subresource}\"";
        return $"{what} is forbidden: User \"{identity.User}\" cannot {request.Verb} {resource} in API group \"{request.Group}\" {scope}";
    }
}
