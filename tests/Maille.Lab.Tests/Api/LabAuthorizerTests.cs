using Maille.Lab.Api;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// Requests are read as the API server's request-info resolver reads them, and judged by the lab's two roles: the
/// admin may do everything, a node's agents may read what they need and write only their own Node's status.
/// </summary>
public sealed class LabAuthorizerTests
{
    private static readonly LabIdentity Admin = new(LabCredentials.AdminUser, [LabCredentials.AdminGroup]);
    private static readonly LabIdentity Node1 = new("system:node:node-1", [LabAuthorizer.NodesGroup]);

    [Theory]
    [InlineData("GET", "/api/v1/pods", false, "list  pods   ")]
    [InlineData("GET", "/api/v1/namespaces/x/pods", true, "watch  pods  x ")]
    [InlineData("GET", "/api/v1/namespaces/x/pods/a", false, "get  pods  x a")]
    [InlineData("POST", "/api/v1/namespaces/x/pods/a/exec", false, "create  pods exec x a")]
    [InlineData("GET", "/api/v1/namespaces/x", false, "get  namespaces  x x")]
    [InlineData("PUT", "/api/v1/namespaces/x/finalize", false, "update  namespaces finalize x x")]
    [InlineData("PATCH", "/api/v1/nodes/node-1/status", false, "patch  nodes status  node-1")]
    [InlineData("DELETE", "/apis/apps/v1/namespaces/x/deployments", false, "deletecollection apps deployments  x ")]
    [InlineData("PUT", "/apis/apps/v1/namespaces/x/deployments/web/scale", false, "update apps deployments scale x web")]
    [InlineData("POST", "/apis/discovery.k8s.io/v1/namespaces/x/endpointslices", false, "create discovery.k8s.io endpointslices  x ")]
    public void A_resource_request_is_read_from_its_method_and_path(string method, string path, bool watch, string expected)
    {
        var r = RequestAttributes.From(method, path, watch);

        Assert.True(r.IsResourceRequest);
        Assert.Equal(expected, $"{r.Verb} {r.Group} {r.Resource} {r.Subresource} {r.Namespace} {r.Name}");
    }

    [Theory]
    [InlineData("/version")]
    [InlineData("/api")]
    [InlineData("/apis")]
    [InlineData("/apis/apps/v1")]
    [InlineData("/openapi/v3/api/v1")]
    public void Discovery_version_and_OpenAPI_are_not_resources_and_any_authenticated_caller_reads_them(string path)
    {
        var r = RequestAttributes.From("GET", path, watch: false);

        Assert.False(r.IsResourceRequest);
        Assert.True(LabAuthorizer.Decide(Node1, r).Allowed);
        Assert.False(LabAuthorizer.Decide(Node1, RequestAttributes.From("POST", path, watch: false)).Allowed);
    }

    [Theory]
    [InlineData("GET", "/api/v1/services", true)]
    [InlineData("GET", "/apis/discovery.k8s.io/v1/endpointslices", true)]
    [InlineData("GET", "/api/v1/nodes/node-2", false)]
    [InlineData("GET", "/apis/networking.k8s.io/v1/namespaces/x/networkpolicies", true)]
    [InlineData("GET", "/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools", true)]
    [InlineData("POST", "/api/v1/namespaces/x/events", false)]
    [InlineData("PATCH", "/api/v1/nodes/node-1/status", false)]
    [InlineData("PUT", "/apis/maille.dev/v1alpha1/nodeagents/node-1/status", false)]
    public void A_node_agent_reads_what_its_parts_watch_posts_events_and_writes_its_own_nodes_status(string method, string path, bool watch)
    {
        var (allowed, reason) = LabAuthorizer.Decide(Node1, RequestAttributes.From(method, path, watch));

        Assert.True(allowed, reason);
    }

    [Theory]
    [InlineData("POST", "/api/v1/namespaces/x/pods", "pods is forbidden: User \"system:node:node-1\" cannot create resource \"pods\" in API group \"\" in the namespace \"x\"")]
    [InlineData("PATCH", "/api/v1/nodes/node-2/status", "nodes \"node-2\" is forbidden: User \"system:node:node-1\" cannot patch resource \"nodes/status\" in API group \"\" at the cluster scope")]
    [InlineData("GET", "/api/v1/namespaces/x/secrets/tls", "secrets \"tls\" is forbidden: User \"system:node:node-1\" cannot get resource \"secrets\" in API group \"\" in the namespace \"x\"")]
    [InlineData("GET", "/api/v1/secrets", "secrets is forbidden: User \"system:node:node-1\" cannot list resource \"secrets\" in API group \"\" at the cluster scope")]
    [InlineData("POST", "/api/v1/namespaces/x/pods/a/exec", "pods \"a\" is forbidden: User \"system:node:node-1\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"x\"")]
    [InlineData("POST", "/api/v1/namespaces/x/pods/a/portforward", "pods \"a\" is forbidden: User \"system:node:node-1\" cannot create resource \"pods/portforward\" in API group \"\" in the namespace \"x\"")]
    [InlineData("PUT", "/apis/maille.dev/v1alpha1/nodeagents/node-2/status", "nodeagents \"node-2\" is forbidden: User \"system:node:node-1\" cannot update resource \"nodeagents/status\" in API group \"maille.dev\" at the cluster scope")]
    [InlineData("DELETE", "/apis/networking.k8s.io/v1/namespaces/x/networkpolicies/deny", "networkpolicies \"deny\" is forbidden: User \"system:node:node-1\" cannot delete resource \"networkpolicies\" in API group \"networking.k8s.io\" in the namespace \"x\"")]
    public void Anything_else_a_node_agent_asks_is_refused_in_the_API_servers_words(string method, string path, string message)
    {
        Assert.Equal((false, message), LabAuthorizer.Decide(Node1, RequestAttributes.From(method, path, watch: false)));
    }

    [Fact]
    public void The_admin_and_root_on_the_socket_may_do_everything_and_a_stranger_nothing()
    {
        var deleteNamespace = RequestAttributes.From("DELETE", "/api/v1/namespaces/kube-system", watch: false);

        Assert.True(LabAuthorizer.Decide(Admin, deleteNamespace).Allowed);
        Assert.True(LabAuthorizer.Decide(null, deleteNamespace).Allowed);
        Assert.False(LabAuthorizer.Decide(new LabIdentity("someone", []), RequestAttributes.From("GET", "/api/v1/pods", watch: false)).Allowed);
        // A user named like a node without the nodes group is not a node.
        Assert.False(LabAuthorizer.Decide(new LabIdentity("system:node:node-1", []), RequestAttributes.From("GET", "/api/v1/services", watch: false)).Allowed);
    }
}
