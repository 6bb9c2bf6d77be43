using System.Text.Json.Nodes;
using Maille.Lab.Api;
using Maille.TestKit;
using static Maille.TestKit.GatewayWorld;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// The Gateway API kinds served by a lab: GatewayClass, Gateway, HTTPRoute, GRPCRoute (v1) and ReferenceGrant
/// (v1beta1), with the status Maille's controller computes, the CRDs' printer columns, and discovery listing both
/// versions of the group. The world is the conformance suite's base (<see cref="GatewayWorld.Conformance"/>).
/// </summary>
public sealed class ServedGatewayTests
{
    private const string Group = "gateway.networking.k8s.io";

    private static readonly ApiResource Classes = ApiResources.Find(Group, "v1", "gatewayclasses")!;
    private static readonly ApiResource Gateways = ApiResources.Find(Group, "v1", "gateways")!;
    private static readonly ApiResource HttpRoutes = ApiResources.Find(Group, "v1", "httproutes")!;
    private static readonly ApiResource Grants = ApiResources.Find(Group, "v1beta1", "referencegrants")!;

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static readonly string World = Conformance()
        .Route(Route.Http("web").Parent("same-namespace").Hostnames("web.example").Rule(RouteRule.Prefix("/").To("infra-backend-v1")))
        .Route(Route.Http("elsewhere").Parent("same-namespace").Rule(RouteRule.Prefix("/").To("web-backend", ns: WebBackend)))
        .Grant(WebBackend, "nobody", "GRPCRoute", Infra, "Service")
        .Yaml;

    private static ApiView View(string yaml) => ServedViews.Of(yaml);

    private static JsonObject Served(ApiView view, ApiResource resource, string name) => ServedViews.Served(view, resource, name);

    private static JsonNode Condition(JsonNode? conditions, string type) => conditions!.AsArray().Single(c => (string?)c!["type"] == type)!;

    [Fact]
    public void A_gateway_is_served_accepted_and_programmed_with_its_address_and_each_listener_s_attached_routes()
    {
        var view = View(World);

        var gateway = Served(view, Gateways, "same-namespace");
        var service = view.Cluster.ServicesByName[$"{Infra}/maille-gateway-same-namespace"];
        var listener = gateway["status"]!["listeners"]![0]!;

        Assert.Equal("gateway.networking.k8s.io/v1", (string?)gateway["apiVersion"]);
        Assert.Equal("True", (string?)Condition(gateway["status"]!["conditions"], "Accepted")["status"]);
        Assert.Equal("True", (string?)Condition(gateway["status"]!["conditions"], "Programmed")["status"]);
        Assert.Equal(service.LoadBalancerIngress.Single(), (string?)gateway["status"]!["addresses"]![0]!["value"]);
        Assert.Equal("http", (string?)listener["name"]);
        Assert.Equal(2, (int)listener["attachedRoutes"]!);
    }

    [Fact]
    public void A_route_shows_each_parent_s_conditions_and_a_backend_across_namespaces_without_a_grant_is_RefNotPermitted()
    {
        var view = View(World);

        var web = Served(view, HttpRoutes, "web")["status"]!["parents"]![0]!;
        var elsewhere = Served(view, HttpRoutes, "elsewhere")["status"]!["parents"]![0]!;

        Assert.Equal("maille.dev/gateway-controller", (string?)web["controllerName"]);
        Assert.Equal("True", (string?)Condition(web["conditions"], "Accepted")["status"]);
        Assert.Equal("True", (string?)Condition(web["conditions"], "ResolvedRefs")["status"]);
        Assert.Equal("True", (string?)Condition(elsewhere["conditions"], "Accepted")["status"]);
        Assert.Equal("RefNotPermitted", (string?)Condition(elsewhere["conditions"], "ResolvedRefs")["reason"]);
    }

    [Fact]
    public void The_kinds_are_tabled_with_the_crds_printer_columns()
    {
        var view = View(World);
        var address = view.Cluster.ServicesByName[$"{Infra}/maille-gateway-same-namespace"].LoadBalancerIngress.Single();

        var (classHeaders, classRows) = TableResponse.Rows(Classes, view.Cluster, _ => true, _clock);
        var (gatewayHeaders, gatewayRows) = TableResponse.Rows(Gateways, view.Cluster, m => m.Name == "same-namespace", _clock);
        var (routeHeaders, routeRows) = TableResponse.Rows(HttpRoutes, view.Cluster, m => m.Name == "web", _clock);
        var (grantHeaders, _) = TableResponse.Rows(Grants, view.Cluster, _ => true, _clock);

        Assert.Equal(["NAME", "CONTROLLER", "ACCEPTED", "AGE"], Names(classHeaders));
        Assert.Equal(["maille", "maille.dev/gateway-controller", "True"], Assert.Single(classRows).Cells[..3]);
        Assert.Equal(("DESCRIPTION", 1, "<none>"), ((string?)classHeaders[4]!["name"], (int)classHeaders[4]!["priority"]!, Assert.Single(classRows).Cells[4]));
        Assert.Equal(["NAME", "CLASS", "ADDRESS", "PROGRAMMED", "AGE"], Names(gatewayHeaders));
        Assert.Equal(["same-namespace", "maille", address, "True"], Assert.Single(gatewayRows).Cells[..4]);
        Assert.Equal(["NAME", "HOSTNAMES", "AGE"], Names(routeHeaders));
        Assert.Equal(["web", """["web.example"]"""], Assert.Single(routeRows).Cells[..2]);
        Assert.Equal(["NAME", "AGE"], Names(grantHeaders));
    }

    [Fact]
    public void Discovery_lists_the_group_with_v1_preferred_and_v1beta1_for_ReferenceGrant_and_every_verb()
    {
        string[] verbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

        var v1 = Discovery.Catalog(Group, "v1").Where(r => r.Subresource is null).ToList();
        var v1beta1 = Discovery.Catalog(Group, "v1beta1").Where(r => r.Subresource is null).ToList();
        var openApi = JsonNode.Parse(OpenApiDocuments.Document($"apis/{Group}/v1")!.Value.Json)!;

        Assert.Equal(["gatewayclasses", "gateways", "httproutes", "grpcroutes"], v1.Select(r => r.LegacyName));
        Assert.All(v1, r => Assert.Equal(verbs, r.Verbs));
        Assert.Equal(["gtw"], v1.Single(r => r.LegacyName == "gateways").ShortNames);
        Assert.False(v1.Single(r => r.LegacyName == "gatewayclasses").Namespaced);
        Assert.Equal(["referencegrants"], v1beta1.Select(r => r.LegacyName));
        Assert.Equal(["v1", "v1beta1"], Discovery.GroupVersions().Where(g => g.Group == Group).Select(g => g.Version)); // the first is preferred
        Assert.NotNull(openApi["paths"]![$"/apis/{Group}/v1/namespaces/{{namespace}}/gateways/{{name}}"]);
    }

    private static string[] Names(JsonArray columns) => [.. columns.Where(c => (int)c!["priority"]! == 0).Select(c => (string)c!["name"]!)];
}
