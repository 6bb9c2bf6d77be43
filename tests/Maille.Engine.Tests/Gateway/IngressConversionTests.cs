using Maille.Engine.Gateways;
using Maille.Model;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// What <see cref="IngressConversion"/> writes: the GatewayClass, one Gateway per IngressClass with its listeners and
/// ReferenceGrants, and the HTTPRoutes per Ingress host (examples/shop and the fixtures of
/// <see cref="IngressToGatewayTraceEqualityTests"/>).
/// </summary>
public sealed class IngressConversionTests
{
    [Fact]
    public void The_shop_gets_Maille_s_class_a_Gateway_for_its_IngressClass_and_a_route_per_Ingress_host()
    {
        var result = new IngressGatewayComparison("examples/shop").Result;

        Assert.Equal(("maille", GatewayApi.ControllerName), (result.GatewayClass!.Name, result.GatewayClass.ControllerName));
        var gateway = Assert.Single(result.Gateways);
        // The Ingresses are in shop-web and shop-api, so the Gateway is in default and takes routes from all namespaces.
        Assert.Equal(("default/maille", "maille"), (gateway.Meta.QualifiedName, gateway.GatewayClassName));
        Assert.Equal(
            ["http 80 HTTP  All", "https-shop-example 443 HTTPS shop.example All shop-web/shop-tls"],
            gateway.Listeners.Select(l => $"{l.Name} {l.Port} {l.Protocol} {l.Hostname} {l.AllowedRoutes.From}{string.Concat(l.CertificateRefs.Select(c => $" {c.Namespace}/{c.Name}"))}"));
        var grant = Assert.Single(result.ReferenceGrants);
        Assert.Equal("shop-web/maille-certificates", grant.Meta.QualifiedName);
        Assert.Equal(new ReferenceGrantFrom(GatewayApi.Group, "Gateway", "default"), Assert.Single(grant.From));
        Assert.Equal(new ReferenceGrantTo("", "Secret", "shop-tls"), Assert.Single(grant.To));
        // The api Ingress names its port "http": the backendRef takes the Service's number for it.
        Assert.Equal(
            string.Join("\n", [
                "shop-api/api-api-shop-example [api.shop.example] PathPrefix /v1 → api:80",
                "shop-api/api-shop-example [shop.example] PathPrefix /api → api:80",
                "shop-web/shop [shop.example] PathPrefix / → frontend:80",
            ]),
            string.Join("\n", result.HttpRoutes.Select(Describe).Order(StringComparer.Ordinal)));
        Assert.All(result.HttpRoutes, r => Assert.Equal(new GatewayParentRef { Name = "maille", Namespace = "default" }, Assert.Single(r.ParentRefs)));
    }

    [Fact]
    public void Shadowed_paths_are_left_out_and_the_defaultBackend_catches_what_a_host_s_rules_miss()
    {
        var result = new IngressGatewayComparison(IngressGatewayComparison.Fixtures + "merged-paths.yaml").Result;

        Assert.Equal(
            string.Join("\n", [
                // anyhost has the defaultBackend: api.example lacks / and the rules without host would take its
                // misses, so it gets a catch-all; every other host falls through to the route without hostnames.
                "app/anyhost-any-host [] PathPrefix /health → web:80, Exact / → api:8080",
                "app/anyhost-api-example [api.example] PathPrefix /v1 → api:8080",
                "app/anyhost-default-backend [] PathPrefix / → web:9090",
                "app/anyhost-default-backend-hosts [api.example] PathPrefix / → web:9090",
                // shadow's Prefix /static is site's /static/ (the trailing slash does not count) and site is older.
                "app/shadow [shop.example] Exact /login/ → api:8080, PathPrefix /static/img → api:8080, Exact /docs → api:8080",
                "app/site [shop.example] PathPrefix / → web:80, Exact /login → api:8080, PathPrefix /static → web:9090, PathPrefix /docs → web:80",
            ]),
            string.Join("\n", result.HttpRoutes.Select(Describe).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void A_named_Gateway_takes_every_Ingress_and_a_named_class_is_not_written()
    {
        var cluster = new IngressGatewayComparison(IngressGatewayComparison.Fixtures + "tls-namespaces.yaml").Original;

        var result = IngressConversion.Convert(cluster, new IngressConversionOptions { GatewayClassName = "edge-class", GatewayNamespace = "front", GatewayName = "edge" });

        Assert.Null(result.GatewayClass);
        var gateway = Assert.Single(result.Gateways);
        Assert.Equal(("front/edge", "edge-class"), (gateway.Meta.QualifiedName, gateway.GatewayClassName));
        // Ingresses in precedence order (no creationTimestamp: by namespace/name). The Secret in the Gateway's
        // namespace needs no grant; the one in back does.
        Assert.Equal(["back", ""], gateway.Listeners.Skip(1).Select(l => l.CertificateRefs[0].Namespace ?? ""));
        Assert.Equal("back/edge-certificates", Assert.Single(result.ReferenceGrants).Meta.QualifiedName);
        Assert.Equal(["orders", "ui"], result.HttpRoutes.Select(r => r.Meta.Name));
        Assert.Equal(["front", null], result.HttpRoutes.Select(r => r.ParentRefs[0].Namespace));
    }

    private static string Describe(HttpRoute route) =>
        $"{route.Meta.QualifiedName} [{string.Join(",", route.Hostnames)}] " + string.Join(", ", route.Rules.Select(r =>
            $"{r.Matches[0].Path.Type} {r.Matches[0].Path.Value} → {string.Join("+", r.BackendRefs.Select(b => $"{b.Name}:{b.Port}"))}"));
}
