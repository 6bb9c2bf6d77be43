using System.Text.Json.Nodes;
using Maille.TestKit;

namespace Maille.Cli.Tests;

public sealed class GetCommandTests
{
    private static string Shop => Path.Combine(Cluster.RepositoryRoot, "examples", "shop");

    [Fact]
    public void Get_svc_prints_kubectl_columns_and_node_port_format()
    {
        var (code, stdout, _) = CliRunner.Run("get", "svc", "-n", "shop-api", "-f", Shop);
        Assert.Equal(0, code);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Matches(@"^NAME\s{3,}TYPE\s{3,}CLUSTER-IP\s{3,}EXTERNAL-IP\s{3,}PORT\(S\)\s{3,}AGE$", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^api-debug\s+NodePort\s+198\.18\.\d+\.\d+\s+<none>\s+8080:30080/TCP\s+<unknown>$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^payments\s+ExternalName\s+<none>\s+payments\.example\.com\s+<none>\s+<unknown>$"));
    }

    [Fact]
    public void Get_svc_all_namespaces_adds_the_namespace_column_and_shows_the_load_balancer_address()
    {
        var (code, stdout, _) = CliRunner.Run("get", "svc", "-A", "-f", Shop);
        Assert.Equal(0, code);
        Assert.StartsWith("NAMESPACE   NAME", stdout, StringComparison.Ordinal);
        Assert.Matches(@"\nshop-web\s+frontend\s+LoadBalancer\s+198\.18\.\S+\s+198\.18\.0\.(2[0-4]\d|250)\s+80:3\d{4}/TCP", stdout);
    }

    [Fact]
    public void Get_svc_shows_pending_with_the_reason_on_stderr_when_no_address_can_be_given()
    {
        const string Yaml = """
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: one, namespace: metallb-system}
            spec: {addresses: [198.18.0.200/32]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: first}
            spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: second}
            spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}
            """;
        var (code, stdout, stderr) = CliRunner.RunWithStdin(Yaml, "get", "svc", "-f", "-");
        Assert.Equal(0, code);
        Assert.Matches(@"\nfirst\s+LoadBalancer\s+\S+\s+198\.18\.0\.200\s", stdout);
        Assert.Matches(@"\nsecond\s+LoadBalancer\s+\S+\s+<pending>\s", stdout);
        Assert.Contains("warning: -:14: Service default/second: status.loadBalancer: no available IPs in pool \"one\" (\"one\" 1 address, 1 in use); EXTERNAL-IP stays <pending>", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_ingress_shows_the_controller_s_load_balancer_address_as_kubectl_does_when_the_controller_Service_is_planned()
    {
        const string Yaml = """
            apiVersion: v1
            kind: Service
            metadata: {name: maille-ingress, namespace: maille-system}
            spec: {type: LoadBalancer, selector: {app.kubernetes.io/name: maille-ingress}, ports: [{name: http, port: 80}, {name: https, port: 443}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec: {selector: {app: web}, ports: [{port: 80}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: site, annotations: {kubernetes.io/ingress.class: maille}}
            spec:
              tls: [{hosts: [shop.example], secretName: shop-tls}]
              rules: [{host: shop.example, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: elsewhere}
            spec:
              ingressClassName: nginx
              defaultBackend: {service: {name: web, port: {number: 80}}}
            status: {loadBalancer: {ingress: [{hostname: lb.example.net}]}}
            """;
        var (_, services, _) = CliRunner.RunWithStdin(Yaml, "get", "svc", "maille-ingress", "-n", "maille-system", "-o", "json", "-f", "-");
        var address = (string)JsonNode.Parse(services)!["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]!;

        var (code, stdout, _) = CliRunner.RunWithStdin(Yaml, "get", "ingress", "-f", "-");
        Assert.Equal(0, code);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Matches(@"^NAME\s{3,}CLASS\s{3,}HOSTS\s{3,}ADDRESS\s{3,}PORTS\s{3,}AGE$", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^site\s+maille\s+shop\.example\s+{System.Text.RegularExpressions.Regex.Escape(address)}\s+80, 443\s+<unknown>$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^elsewhere\s+nginx\s+\*\s+lb\.example\.net\s+80\s+<unknown>$"));

        var (_, json, _) = CliRunner.RunWithStdin(Yaml, "get", "ingress", "site", "-o", "json", "-f", "-");
        Assert.Equal(address, (string?)JsonNode.Parse(json)!["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]);
    }

    [Fact]
    public void Get_json_without_a_name_is_a_list_with_allocated_fields()
    {
        var (code, stdout, _) = CliRunner.Run("get", "pods", "-n", "shop-db", "-o", "json", "-f", Shop);
        Assert.Equal(0, code);
        var list = JsonNode.Parse(stdout)!;
        Assert.Equal("List", (string?)list["kind"]);
        var items = list["items"]!.AsArray();
        Assert.Equal(3, items.Count);
        Assert.All(items, pod =>
        {
            Assert.StartsWith("198.19.", (string?)pod!["status"]!["podIP"], StringComparison.Ordinal);
            Assert.StartsWith("node-", (string?)pod["spec"]!["nodeName"], StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Get_by_name_prints_the_object_itself()
    {
        var (code, stdout, _) = CliRunner.Run("get", "node", "node-2", "-o", "json", "-f", Shop);
        Assert.Equal(0, code);
        var node = JsonNode.Parse(stdout)!;
        Assert.Equal("Node", (string?)node["kind"]);
        Assert.Equal("198.19.2.0/24", (string?)node["spec"]!["podCIDR"]);
        Assert.Equal("198.18.0.12", (string?)node["status"]!["addresses"]!.AsArray().First(a => (string?)a!["type"] == "InternalIP")!["address"]);
    }

    [Fact]
    public void Get_yaml_prints_kubernetes_yaml()
    {
        var (code, stdout, _) = CliRunner.Run("get", "svc", "api-debug", "-n", "shop-api", "-o", "yaml", "-f", Shop);
        Assert.Equal(0, code);
        Assert.Contains("kind: Service", stdout, StringComparison.Ordinal);
        Assert.Contains("nodePort: 30080", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_name_is_not_found_with_kubectl_wording()
    {
        var (code, _, stderr) = CliRunner.Run("get", "svc", "nope", "-f", Shop);
        Assert.Equal(1, code);
        Assert.Contains("Error from server (NotFound): services \"nope\" not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_input_exits_with_one_and_names_file_line_object_and_field()
    {
        const string Yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 40000\n";
        var (code, stdout, stderr) = CliRunner.RunWithStdin(Yaml, "get", "svc", "-f", "-");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("error: -:8: Service default/web: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range 30000-32767", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("get svc")]
    [InlineData("analyze")]
    public void A_value_of_the_wrong_type_names_file_line_object_and_field_like_any_other_error(string command)
    {
        const string Yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec:\n  ports:\n  - port: eighty\n";
        var (code, stdout, stderr) = CliRunner.RunWithStdin(Yaml, [.. command.Split(' '), "-f", "-"]);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("error: -:6: Service default/web: spec.ports[0].port: Invalid value: \"eighty\": must be an integer\n", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_kinds_are_reported_as_skipped_not_fatal()
    {
        const string Yaml = "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: c}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n";
        var (code, stdout, stderr) = CliRunner.RunWithStdin(Yaml, "get", "ns", "-f", "-");
        Assert.Equal(0, code);
        Assert.Contains("skipped: -:1: Certificate c (cert-manager.io/v1): not a kind Maille models", stderr, StringComparison.Ordinal);
        Assert.Contains("\nx ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_every_command_with_an_example()
    {
        var (code, stdout, _) = CliRunner.Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("get", stdout, StringComparison.Ordinal);
        Assert.Contains("analyze", stdout, StringComparison.Ordinal);
        Assert.Contains("maille get svc -A -f examples/shop", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deploy", @"^NAMESPACE\s+NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nshop-api\s+api\s+2/2\s+2\s+2\s+<unknown>\nshop-web\s+frontend\s+3/3\s+3\s+3\s+<unknown>$")]
    [InlineData("replicasets.apps", @"^NAMESPACE\s+NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nshop-api\s+api-bf5krq2pvl\s+2\s+2\s+2\s+<unknown>\nshop-web\s+frontend-497dph9tpv\s+3\s+3\s+3\s+<unknown>$")]
    [InlineData("sts", @"^NAMESPACE\s+NAME\s+READY\s+AGE\nshop-db\s+postgres\s+3/3\s+<unknown>$")]
    [InlineData("ds", @"^NAMESPACE\s+NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\nshop-web\s+node-exporter\s+3\s+3\s+3\s+3\s+3\s+<none>\s+<unknown>$")]
    public void Get_lists_every_workload_kind_with_kubectl_s_columns_and_counts_from_the_planned_pods(string kind, string table)
    {
        var (code, stdout, stderr) = CliRunner.Run("get", kind, "-A", "-f", Shop);
        Assert.True(code == 0, stderr);
        Assert.Matches(table, stdout.TrimEnd());
    }

    [Fact]
    public void Get_deploy_counts_only_the_pods_that_are_ready_and_lists_the_replica_set_its_controller_makes()
    {
        const string Yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {nodeSelector: {disk: ssd}, containers: [{name: web, image: nginx}]}
            """;
        var (code, stdout, stderr) = CliRunner.RunWithStdin(Yaml, "get", "deploy", "-o", "wide", "-f", "-");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"\nweb\s+0/2\s+2\s+0\s+<unknown>\s+web\s+nginx\s+app=web$", stdout.TrimEnd());

        (code, stdout, stderr) = CliRunner.RunWithStdin(Yaml, "get", "rs", "-o", "json", "-f", "-");
        Assert.True(code == 0, stderr);
        var rs = JsonNode.Parse(stdout)!["items"]!.AsArray().Single()!;
        var hash = (string?)rs["metadata"]!["labels"]!["pod-template-hash"];
        Assert.Equal($"web-{hash}", (string?)rs["metadata"]!["name"]);
        Assert.Equal("Deployment", (string?)rs["metadata"]!["ownerReferences"]!.AsArray().Single()!["kind"]);
        (code, stdout, stderr) = CliRunner.RunWithStdin(Yaml, "get", "deploy", "web", "-o", "json", "-f", "-");
        Assert.True(code == 0, stderr);
        Assert.Equal((string?)JsonNode.Parse(stdout)!["metadata"]!["uid"], (string?)rs["metadata"]!["ownerReferences"]!.AsArray().Single()!["uid"]);
        Assert.NotEqual((string?)rs["metadata"]!["uid"], (string?)rs["metadata"]!["ownerReferences"]!.AsArray().Single()!["uid"]);
        Assert.Equal(hash, (string?)rs["spec"]!["selector"]!["matchLabels"]!["pod-template-hash"]);
        Assert.Equal(2, (int)rs["spec"]!["replicas"]!);
        Assert.Equal(0, (int?)rs["status"]!["readyReplicas"] ?? 0);
        Assert.Equal(2, (int)rs["status"]!["replicas"]!);
    }
}
