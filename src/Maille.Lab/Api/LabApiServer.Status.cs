using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Api;

public sealed partial class LabApiServer
{
    /// <summary>The kinds with a <c>status</c> subresource on the API server, among those the lab serves.</summary>
    private static readonly string[] WithStatus = ["pods", "services", "nodes", "namespaces", "deployments", "replicasets", "statefulsets", "daemonsets", "ingresses", "gatewayclasses", "gateways", "httproutes", "grpcroutes", "ipaddresspools", "clusternetworkpolicies", "adminnetworkpolicies", "baselineadminnetworkpolicies"];

    /// <summary>
    /// The <c>status</c> subresource (<c>kubectl get --subresource=status</c>, clients that read <c>…/status</c>): the
    /// object as a GET of it answers, list selectors and tables included. Status is the lab's to write (its readiness
    /// prober, load balancer and controllers compute it), so a <c>PUT</c> or <c>PATCH</c> of it is refused with 405
    /// and says so, rather than being accepted and overwritten a moment later.
    /// </summary>
    internal static bool HasStatus(string plural) => WithStatus.Contains(plural);

    private void MapStatus(WebApplication app)
    {
        string[] paths =
        [
            "/api/{version}/namespaces/{ns}/{plural}/{name}/status",
            "/api/{version}/{plural}/{name}/status",
            "/apis/{group}/{version}/namespaces/{ns}/{plural}/{name}/status",
            "/apis/{group}/{version}/{plural}/{name}/status",
        ];
        foreach (var path in paths)
        {
            app.MapGet(path, (HttpContext http, string? group, string version, string? ns, string plural, string name) =>
                WithStatus.Contains(plural)
                    ? Serve(http, group ?? "", version, plural, ns, name)
                    : Status(http, 404, "NotFound", $"the server could not find the requested resource ({plural}/status)"));
            app.MapMethods(path, ["PUT", "PATCH"], (HttpContext http, string plural) => Status(http, 405, "MethodNotAllowed",
                $"the lab computes {plural}' status itself (readiness, addresses, load balancers, controllers): change the object's spec or labels instead"));
        }
    }
}
