using System.Text.Json.Nodes;
using Maille.Kube.MetalLb;
using Maille.Lab.Api;
using Maille.TestKit;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// The kinds that configure the lab's services, served as API resources: Secrets (with their data), IngressClasses and
/// MetalLB's pools and advertisements, each with kubectl's columns (MetalLB's from its CRDs), in discovery and OpenAPI.
/// </summary>
public sealed class ServedConfigurationTests
{
    private const string Written = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: web}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: metallb-system}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: tls, namespace: web}
        type: kubernetes.io/tls
        data: {tls.crt: Y2VydA==}
        stringData: {tls.key: key}
        ---
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: maille}
        spec:
          controller: maille.dev/ingress-controller
          parameters: {apiGroup: k8s.example.com, kind: IngressParameters, name: external}
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: edge, namespace: metallb-system}
        spec:
          addresses: [198.18.200.0/29, 198.18.201.1-198.18.201.2]
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {name: edge, namespace: metallb-system}
        spec:
          ipAddressPools: [edge]
          nodeSelectors: [{matchLabels: {kubernetes.io/hostname: node-1}}]
        """;

    private static readonly ApiResource Secrets = ApiResources.Find("", "v1", "secrets")!;
    private static readonly ApiResource IngressClasses = ApiResources.Find("networking.k8s.io", "v1", "ingressclasses")!;
    private static readonly ApiResource Pools = ApiResources.Find("metallb.io", "v1beta1", "ipaddresspools")!;
    private static readonly ApiResource Advertisements = ApiResources.Find("metallb.io", "v1beta1", "l2advertisements")!;

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static ApiView View(string yaml) => ServedViews.Of(yaml);

    private static JsonObject Served(ApiView view, ApiResource resource, string name) => ServedViews.Served(view, resource, name);

    /// <summary>The table's headers (NAME first) and its one row, as kubectl prints them without and with <c>-o wide</c>.</summary>
    private (string[] Headers, string[] WideHeaders, string[] Row) Table(ApiView view, ApiResource resource)
    {
        var (columns, rows) = TableResponse.Rows(resource, view.Cluster, _ => true, _clock);
        var headers = columns.Select(c => (Name: (string)c!["name"]!, Priority: (int)c["priority"]!)).ToList();
        return ([.. headers.Where(h => h.Priority == 0).Select(h => h.Name)], [.. headers.Select(h => h.Name)], Assert.Single(rows).Cells);
    }

    [Fact]
    public void A_secret_is_served_with_its_data_merged_from_stringData_and_tabled_with_its_type_and_count()
    {
        var view = View(Written);

        var secret = Served(view, Secrets, "tls");
        var (headers, _, row) = Table(view, Secrets);

        Assert.Equal("kubernetes.io/tls", (string?)secret["type"]);
        Assert.Equal("Y2VydA==", (string?)secret["data"]!["tls.crt"]);
        Assert.Equal(Convert.ToBase64String("key"u8), (string?)secret["data"]!["tls.key"]);
        Assert.Matches("^[0-9a-f-]{36}$", (string?)secret["metadata"]!["uid"]);
        Assert.Equal(["NAME", "TYPE", "DATA", "AGE"], headers);
        Assert.Equal(["tls", "kubernetes.io/tls", "2"], row[..3]);
    }

    [Fact]
    public void An_ingress_class_is_cluster_scoped_and_tabled_with_its_controller_and_parameters()
    {
        var view = View(Written);

        var ingressClass = Served(view, IngressClasses, "maille");
        var (headers, _, row) = Table(view, IngressClasses);

        Assert.False(IngressClasses.Namespaced);
        Assert.Null(ingressClass["metadata"]!["namespace"]);
        Assert.Equal("external", (string?)ingressClass["spec"]!["parameters"]!["name"]);
        Assert.Equal(["NAME", "CONTROLLER", "PARAMETERS", "AGE"], headers);
        Assert.Equal(["maille", "maille.dev/ingress-controller", "IngressParameters.k8s.example.com/external"], row[..3]);
    }

    [Fact]
    public void Metallb_objects_are_served_with_their_crds_defaults_and_tabled_with_their_crds_printer_columns()
    {
        var view = View(Written);

        var pool = Served(view, Pools, "edge");
        var (poolHeaders, poolWide, poolRow) = Table(view, Pools);
        var (advertisementHeaders, advertisementWide, advertisementRow) = Table(view, Advertisements);

        Assert.Equal("metallb.io/v1beta1", (string?)pool["apiVersion"]);
        Assert.True((bool)pool["spec"]!["autoAssign"]!);
        Assert.False((bool)pool["spec"]!["avoidBuggyIPs"]!);
        Assert.Equal(CrdColumns("IPAddressPool", wide: false), poolHeaders);
        Assert.Equal(CrdColumns("IPAddressPool", wide: true), poolWide);
        Assert.Equal(["edge", "true", "false", """["198.18.200.0/29","198.18.201.1-198.18.201.2"]"""], poolRow);
        Assert.Equal(CrdColumns("L2Advertisement", wide: false), advertisementHeaders);
        Assert.Equal(CrdColumns("L2Advertisement", wide: true), advertisementWide);
        Assert.Equal(["edge", """["edge"]""", "<none>", "<none>", """[{"matchLabels":{"kubernetes.io/hostname":"node-1"}}]"""], advertisementRow);
    }

    [Fact]
    public void A_pools_status_counts_its_assigned_addresses_once_each_and_what_it_can_still_give_as_metallbs_controller_does()
    {
        // Three LoadBalancer Services: two share one address (MetalLB's allow-shared-ip, different ports), one has its own.
        var view = View(Written + """

            ---
            apiVersion: v1
            kind: Service
            metadata: {name: a, namespace: web, annotations: {metallb.io/allow-shared-ip: edge, metallb.io/loadBalancerIPs: 198.18.200.3}}
            spec: {type: LoadBalancer, selector: {app: a}, ports: [{port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: b, namespace: web, annotations: {metallb.io/allow-shared-ip: edge, metallb.io/loadBalancerIPs: 198.18.200.3}}
            spec: {type: LoadBalancer, selector: {app: a}, ports: [{port: 443}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: c, namespace: web}
            spec: {type: LoadBalancer, selector: {app: c}, ports: [{port: 80}]}
            """);

        var status = Served(view, Pools, "edge")["status"]!;

        Assert.Equal(2, (long)status["assignedIPv4"]!);
        Assert.Equal(10 - 2, (long)status["availableIPv4"]!);
        Assert.Equal(0, (long)status["assignedIPv6"]!);
        Assert.Equal(0, (long)status["availableIPv6"]!);
        Assert.True(LabApiServer.HasStatus("ipaddresspools"));
    }

    [Fact]
    public void An_empty_pools_status_offers_every_address_but_the_buggy_ones_it_avoids()
    {
        var view = View(Written.Replace("addresses: [198.18.200.0/29, 198.18.201.1-198.18.201.2]", "addresses: [198.18.200.0/29, 198.18.201.1-198.18.201.2]\n  avoidBuggyIPs: true", StringComparison.Ordinal));

        var status = Served(view, Pools, "edge")["status"]!;

        Assert.Equal(0, (long)status["assignedIPv4"]!);
        Assert.Equal(10 - 1, (long)status["availableIPv4"]!);
    }

    [Fact]
    public void A_pool_made_from_the_cluster_configuration_and_the_implicit_advertisement_are_no_objects()
    {
        var view = View("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: web}
            """);

        Assert.NotEmpty(view.Cluster.LoadBalancing.Pools);
        Assert.Empty(view.Objects(Pools));
        Assert.Empty(view.Objects(Advertisements));
    }

    [Fact]
    public void Discovery_lists_the_configuration_kinds_with_every_verb_and_openapi_has_metallbs_schemas()
    {
        string[] verbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

        var secrets = Discovery.Catalog("", "v1").Single(r => r.LegacyName == "secrets");
        var classes = Discovery.Catalog("networking.k8s.io", "v1").Single(r => r.LegacyName == "ingressclasses");
        var metallb = Discovery.Catalog("metallb.io", "v1beta1").Where(r => r.Subresource is null).ToList();
        var document = JsonNode.Parse(OpenApiDocuments.Document("apis/metallb.io/v1beta1")!.Value.Json)!;
        var poolSchema = document["components"]!["schemas"]!["io.metallb.v1beta1.IPAddressPool"]!;

        Assert.Equal(verbs, secrets.Verbs);
        Assert.False(classes.Namespaced);
        Assert.Equal(verbs, classes.Verbs);
        Assert.Equal(["ipaddresspools", "l2advertisements"], metallb.Select(r => r.LegacyName));
        Assert.All(metallb, r => Assert.Equal(verbs, r.Verbs));
        Assert.Equal("array", (string?)poolSchema["properties"]!["spec"]!["properties"]!["addresses"]!["type"]);
        Assert.Contains("IP address ranges", (string?)poolSchema["properties"]!["spec"]!["properties"]!["addresses"]!["description"], StringComparison.Ordinal);
        Assert.Equal("IPAddressPool", (string?)poolSchema["x-kubernetes-group-version-kind"]![0]!["kind"]);
    }

    /// <summary>The columns MetalLB's CRD declares for <paramref name="kind"/>, as kubectl prints their names (upper case).</summary>
    private static string[] CrdColumns(string kind, bool wide) =>
        [.. MetalLbCrds.Columns(kind).Where(c => wide || !c.Wide).Select(c => c.Name.ToUpperInvariant())];
}
