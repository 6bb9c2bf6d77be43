using Maille.Model;
using Maille.TestKit;

namespace Maille.Kube.Tests.Validation;

/// <summary>What loading does besides field validation: skipped kinds, implicit namespaces, several files at once.</summary>
public sealed class ManifestLoadingTests
{
    private const string ShopWeb = """
        # The web front end of the shop, published on a node port.
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: shop
        spec:
          type: NodePort
          selector:
            app: web
          ports:
            - name: http
              port: 80
              nodePort: 40000
        """;

    [Fact]
    public void NodePort_out_of_range_is_reported_with_file_line_object_and_field()
    {
        var errors = Cluster.Errors(ShopWeb, file: "shop.yaml");

        Assert.Equal(
            ["shop.yaml:14: Service shop/web: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range 30000-32767"],
            errors);
    }

    [Fact]
    public void NodePort_range_follows_the_cluster_configuration()
    {
        var config = ClusterConfig.Default with { NodePortMin = 40000, NodePortMax = 40100 };

        Assert.Empty(Cluster.Errors(ShopWeb, config, "shop.yaml"));
        Assert.Equal(
            ["shop.yaml:14: Service shop/web: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range 40001-40100"],
            Cluster.Errors(ShopWeb, config with { NodePortMin = 40001 }, "shop.yaml"));
    }

    [Fact]
    public void Unknown_kinds_are_skipped_with_their_location_not_reported_as_errors()
    {
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("extras.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: shop
            data:
              mode: fast
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: gizmo
            ---
            apiVersion: apps/v1
            kind: Service
            metadata:
              name: not-core
            """)]);

        Assert.Empty(diagnostics);
        Assert.Collection(
            manifests.Skipped,
            s => Assert.Equal(("v1", "ConfigMap", "shop", "settings", "extras.yaml:1"), (s.ApiVersion, s.Kind, s.Namespace, s.Name, s.Source.ToString())),
            s => Assert.Equal(("example.com/v1", "Widget", (string?)null, "gizmo", "extras.yaml:9"), (s.ApiVersion, s.Kind, s.Namespace, s.Name, s.Source.ToString())),
            s => Assert.Equal(("apps/v1", "Service", (string?)null, "not-core", "extras.yaml:14"), (s.ApiVersion, s.Kind, s.Namespace, s.Name, s.Source.ToString())));
        Assert.Empty(manifests.Services);
        Assert.True(Cluster.Plan([new ManifestSource("extras.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n")]).Succeeded);
    }

    [Fact]
    public void A_namespace_used_but_not_declared_is_created_with_one_warning()
    {
        var result = Cluster.Plan("""
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: shop
            spec:
              ports:
                - port: 80
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: api
              namespace: shop
            spec:
              ports:
                - port: 80
            """, file: "shop.yaml");

        Assert.True(result.Succeeded);
        Assert.Empty(result.Errors);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(
            "shop.yaml:5: Namespace shop: not declared by any manifest (first used by Service shop/web); created it, where kubectl apply would refuse with: namespaces \"shop\" not found",
            warning.ToString());
        var shop = result.Cluster!.NamespacesByName["shop"];
        Assert.True(shop.Implicit);
        Assert.Equal("shop", shop.Meta.Labels.Get(Namespace.NameLabel));
        Assert.Equal(result.Warnings, result.Cluster.Warnings);
    }

    [Fact]
    public void The_default_namespace_needs_no_declaration_and_gives_no_warning()
    {
        var result = Cluster.Plan("""
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              ports:
                - port: 80
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: dns
              namespace: kube-system
            spec:
              ports:
                - port: 53
            """);

        Assert.True(result.Succeeded);
        Assert.Empty(result.Diagnostics);
        Assert.Contains("default", result.Cluster!.NamespacesByName.Keys);
        Assert.Contains("kube-system", result.Cluster.NamespacesByName.Keys);
    }

    [Fact]
    public void A_declared_namespace_is_not_implicit()
    {
        var result = Cluster.Plan("""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
              labels:
                team: shop
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: shop
            spec:
              ports:
                - port: 80
            """);

        Assert.Empty(result.Diagnostics);
        var shop = result.Cluster!.NamespacesByName["shop"];
        Assert.False(shop.Implicit);
        Assert.Equal("shop", shop.Meta.Labels.Get("team"));
    }

    [Fact]
    public void Errors_from_several_files_are_all_reported_and_nothing_is_planned()
    {
        var result = Cluster.Plan([
            new ManifestSource("a.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: Web\nspec:\n  ports:\n    - port: 80\n"),
            new ManifestSource("b.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  ports:\n    - port: 80\n      protocol: ICMP\n"),
            new ManifestSource("c.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n    - port: 5432\n  broken: [\n"),
        ]);

        Assert.False(result.Succeeded);
        Assert.Null(result.Cluster);
        Assert.Collection(
            result.Errors.Select(e => (e.File, e.Line, e.Field)),
            e => Assert.Equal(("a.yaml", 4, "metadata.name"), e),
            e => Assert.Equal(("b.yaml", 8, "spec.ports[0].protocol"), e),
            e => Assert.Equal(("c.yaml", (int?)9, (string?)null), (e.File, e.Line, e.Field)));
    }

    [Fact]
    public void An_object_ending_in_a_flow_collection_is_read_whole()
    {
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("policies.yaml", """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: allow-all
            spec:
              podSelector: {}
              ingress:
                - {}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: from-db
            spec:
              podSelector:
                matchExpressions:
                  - {key: app, operator: In, values: [db, cache]}
            """)]);

        Assert.Empty(diagnostics);
        Assert.Collection(
            manifests.NetworkPolicies,
            p => Assert.True(Assert.Single(p.Ingress).Peers.IsEmpty),
            p => Assert.Equal(["db", "cache"], Assert.Single(p.PodSelector.MatchExpressions).Values));
    }

    [Fact]
    public void Valid_input_plans_with_no_diagnostics()
    {
        var cluster = Cluster.Valid("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                    - name: web
                      image: nginx
                      ports:
                        - name: http
                          containerPort: 8080
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector:
                app: web
              ports:
                - port: 80
                  targetPort: http
            """);

        Assert.Empty(cluster.Warnings);
        Assert.Equal(2, cluster.Pods.Count);
    }

    /// <summary>The shop as a whole, and the NetworkPolicy playground's pods with each scenario, as its README runs them.</summary>
    public static TheoryData<string[]> Examples()
    {
        var data = new TheoryData<string[]> { new[] { "shop" } };
        var scenarios = Path.Combine(Cluster.RepositoryRoot, "examples", "netpol-playground", "scenarios");
        foreach (var file in Directory.EnumerateFiles(scenarios, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(["netpol-playground/pods.yaml", "netpol-playground/scenarios/" + Path.GetFileName(file)]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Examples_plan_without_errors(string[] paths)
    {
        var sources = ManifestFiles.Read(paths.Select(p => Path.Combine(Cluster.RepositoryRoot, "examples", p)), TextReader.Null, out var fileErrors);

        var result = Cluster.Plan(sources);

        Assert.Empty(fileErrors);
        Assert.Empty(result.Errors.Select(e => e.ToString()));
        Assert.True(result.Succeeded);
    }
}
