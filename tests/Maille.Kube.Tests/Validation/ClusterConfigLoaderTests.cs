using System.Net;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Kube.Tests.Validation;

/// <summary>The ClusterConfig file: a valid one changes the cluster; every problem names file, line and field.</summary>
public sealed class ClusterConfigLoaderTests
{
    private static (ClusterConfig? Config, IReadOnlyList<string> Lines) Load(string text, string path = "cluster.yaml")
    {
        var (config, diagnostics) = ClusterConfigLoader.Load(path, text);
        return (config, [.. diagnostics.Select(d => d.ToString())]);
    }

    [Fact]
    public void A_valid_file_changes_the_service_CIDR_and_the_node_count()
    {
        var (config, lines) = Load("""
            apiVersion: maille.dev/v1alpha1
            kind: ClusterConfig
            nodeCount: 5
            serviceCIDR: 10.96.0.0/16
            nodePortRange: 31000-31999
            dnsDomain: lab.example
            """);

        Assert.Empty(lines);
        Assert.NotNull(config);
        Assert.Equal(5, config.NodeCount);
        Assert.Equal(IPNetwork.Parse("10.96.0.0/16"), config.ServiceCidr);
        Assert.Equal((31000, 31999), (config.NodePortMin, config.NodePortMax));
        Assert.Equal("lab.example", config.DnsDomain);
        Assert.Equal(IPAddress.Parse("10.96.0.10"), config.EffectiveDnsServiceIP);
        Assert.Equal("cluster.yaml", config.Source);
        Assert.Equal(ClusterConfig.Default.ClusterCidr, config.ClusterCidr);
    }

    [Fact]
    public void The_dataplane_is_nftables_by_default_ebpf_when_asked_and_anything_else_is_refused_with_its_line()
    {
        const string Header = "apiVersion: maille.dev/v1alpha1\nkind: ClusterConfig\n";

        Assert.Equal(DataplaneKind.Nftables, Load(Header).Config!.Dataplane);
        Assert.Equal(DataplaneKind.Ebpf, Load(Header + "dataplane: ebpf\n").Config!.Dataplane);
        var (config, lines) = Load(Header + "dataplane: cilium\n");
        Assert.Null(config);
        Assert.Equal(["cluster.yaml:3: ClusterConfig cluster.yaml: dataplane: Unsupported value: \"cilium\": supported values: \"nftables\", \"ebpf\""], lines);
    }

    [Theory]
    [InlineData(null, 12 * 3600)]
    [InlineData("10s", 10)]
    [InlineData("1h30m", 5400)]
    public void The_mesh_certificate_rotation_defaults_to_istios_twelve_hours_and_reads_durations(string? text, int seconds)
    {
        var (config, lines) = Load("apiVersion: maille.dev/v1alpha1\nkind: ClusterConfig\n" + (text is null ? "" : $"meshCertificateRotation: {text}\n"));

        Assert.Empty(lines);
        Assert.Equal(TimeSpan.FromSeconds(seconds), config!.MeshCertificateRotation);
    }

    [Theory]
    [InlineData("5s")]
    [InlineData("12")]
    [InlineData("1d")]
    [InlineData("9000h")]
    public void A_mesh_certificate_rotation_too_short_too_long_or_without_unit_is_refused_with_its_line(string text)
    {
        var (config, lines) = Load($"apiVersion: maille.dev/v1alpha1\nkind: ClusterConfig\nmeshCertificateRotation: {text}\n");

        Assert.Null(config);
        Assert.Equal([$"cluster.yaml:3: ClusterConfig cluster.yaml: meshCertificateRotation: Invalid value: \"{text}\": must be a duration such as 30s, 10m or 12h, at least 10s and at most 8760h"], lines);
    }

    [Fact]
    public void The_loaded_configuration_drives_planning_and_validation()
    {
        var (config, _) = Load("""
            apiVersion: maille.dev/v1alpha1
            kind: ClusterConfig
            nodeCount: 5
            serviceCIDR: 10.96.0.0/16
            """);
        const string Yaml = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              clusterIP: 198.18.130.5
              ports:
                - port: 80
            """;

        Assert.Empty(Cluster.Errors(Yaml));
        Assert.Equal(
            ["test.yaml:6: Service default/web: spec.clusterIP: Invalid value: \"198.18.130.5\": provided IP is not in the valid range 10.96.0.0/16"],
            Cluster.Errors(Yaml, config));
        Assert.Equal(5, Cluster.Valid("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n", config).Nodes.Count);
    }

    [Fact]
    public void A_bad_service_CIDR_reports_file_line_and_field_and_gives_no_configuration()
    {
        var (config, lines) = Load("""
            apiVersion: maille.dev/v1alpha1
            kind: ClusterConfig
            nodeCount: 3
            serviceCIDR: 10.96.0.0/33
            """, "lab/cluster.yaml");

        Assert.Null(config);
        Assert.Equal(
            ["lab/cluster.yaml:4: ClusterConfig cluster.yaml: serviceCIDR: Invalid value: \"10.96.0.0/33\": must be a valid IPv4 CIDR value, (e.g. 198.18.0.0/24)"],
            lines);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_its_field_with_list_indices_and_gives_no_configuration()
    {
        var (count, countLines) = Load("""
            apiVersion: maille.dev/v1alpha1
            kind: ClusterConfig
            nodeCount: three
            """);
        var (labels, labelLines) = Load("""
            apiVersion: maille.dev/v1alpha1
            kind: ClusterConfig
            nodes:
            - name: node-1
            - name: node-2
              labels: [edge]
            """);

        Assert.Null(count);
        Assert.Equal(["cluster.yaml:3: ClusterConfig cluster.yaml: nodeCount: Invalid value: \"three\": must be an integer"], countLines);
        Assert.Null(labels);
        Assert.Equal(["cluster.yaml:6: ClusterConfig cluster.yaml: nodes[1].labels: Invalid value: must be a map, not a list"], labelLines);
    }

    [Fact]
    public void Every_problem_in_the_file_is_reported_at_once()
    {
        var (config, lines) = Load("""
            apiVersion: maille.dev/v1
            kind: Cluster
            nodeCount: 0
            clusterCIDR: 10.244.0.0/16
            podCIDRPrefix: 12
            nodeNetwork: not-a-cidr
            nodePortRange: 32767-30000
            dnsServiceIP: 10.0.0.10
            nodes:
              - name: Node_1
                podCIDR: 10.244.1.0/24
                address: 10.0.0.300
              - labels:
                  zone: a
            """);

        Assert.Null(config);
        Assert.Equal(
            [
                "cluster.yaml:2: ClusterConfig cluster.yaml: kind: Invalid value: \"Cluster\": must be ClusterConfig",
                "cluster.yaml:1: ClusterConfig cluster.yaml: apiVersion: Invalid value: \"maille.dev/v1\": must be maille.dev/v1alpha1",
                "cluster.yaml:6: ClusterConfig cluster.yaml: nodeNetwork: Invalid value: \"not-a-cidr\": must be a valid IPv4 CIDR value, (e.g. 198.18.0.0/24)",
                "cluster.yaml:3: ClusterConfig cluster.yaml: nodeCount: Invalid value: 0: must be between 1 and 250, inclusive",
                "cluster.yaml:5: ClusterConfig cluster.yaml: podCIDRPrefix: Invalid value: 12: must be between 16 and 30",
                "cluster.yaml:7: ClusterConfig cluster.yaml: nodePortRange: Invalid value: \"32767-30000\": must be FIRST-LAST, e.g. 30000-32767",
                "cluster.yaml:8: ClusterConfig cluster.yaml: dnsServiceIP: Invalid value: \"10.0.0.10\": must be inside serviceCIDR 198.18.128.0/17",
                "cluster.yaml:10: ClusterConfig cluster.yaml: nodes[0].name: Invalid value: \"Node_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                "cluster.yaml:12: ClusterConfig cluster.yaml: nodes[0].address: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                "cluster.yaml:13: ClusterConfig cluster.yaml: nodes[1].name: Required value",
            ],
            lines);
    }

    [Fact]
    public void A_YAML_syntax_error_is_reported_with_its_line()
    {
        var (config, lines) = Load("""
            apiVersion: maille.dev/v1alpha1
            kind: ClusterConfig
            nodeCount: 3
              serviceCIDR: 10.96.0.0/16
            """);

        Assert.Null(config);
        var line = Assert.Single(lines);
        Assert.StartsWith("cluster.yaml:4: Invalid value: not a valid ClusterConfig: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_IPv6_CIDR_is_refused_until_IPv6_is_supported()
    {
        var (config, diagnostics) = ClusterConfigLoader.Load("cluster.yaml", "apiVersion: maille.dev/v1alpha1\nkind: ClusterConfig\nserviceCIDR: fd00::/108\n");
        Assert.Null(config);
        Assert.Equal(["cluster.yaml:3: ClusterConfig cluster.yaml: serviceCIDR: Invalid value: \"fd00::/108\": must be an IPv4 CIDR: IPv6 is not supported yet"], diagnostics.Select(d => d.ToString()));
    }
}
