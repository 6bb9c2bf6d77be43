using Maille.Model;

namespace Maille.Kube.Tests.Config;

/// <summary>A flag of <c>maille up</c> overriding one ClusterConfig field in the lab's copy of the file.</summary>
public sealed class ClusterConfigOverrideTests
{
    private static ClusterConfig Load(string text)
    {
        var (config, diagnostics) = ClusterConfigLoader.Load("config.yaml", text);
        Assert.DoesNotContain(diagnostics, d => d.IsError);
        return config!;
    }

    [Fact]
    public void The_flag_replaces_the_files_value_and_keeps_every_other_field_nodes_included()
    {
        const string File = """
            apiVersion: maille.dev/v1alpha1
            kind: ClusterConfig
            # the zones
            nodes:
            - name: node-1
              labels: {topology.kubernetes.io/zone: zone-a}
            - name: node-2
            serviceCIDR: 10.96.0.0/16
            meshCertificateRotation: 1h
            """;

        var config = Load(ClusterConfigOverride.With(File, "meshCertificateRotation", "30s"));

        Assert.Equal(TimeSpan.FromSeconds(30), config.MeshCertificateRotation);
        Assert.Equal(ClusterConfigWriter.Render(Load(File) with { MeshCertificateRotation = TimeSpan.FromSeconds(30) }), ClusterConfigWriter.Render(config));
        Assert.Equal(["node-1", "node-2"], config.Nodes.Select(n => n.Name));
        Assert.Equal("zone-a", config.Nodes[0].Labels["topology.kubernetes.io/zone"]);
    }

    [Fact]
    public void The_flag_adds_the_field_to_a_file_without_it_and_makes_a_file_when_there_is_none()
    {
        var added = Load(ClusterConfigOverride.With("apiVersion: maille.dev/v1alpha1\nkind: ClusterConfig\nnodeCount: 5\n", "meshCertificateRotation", "10m"));
        var made = Load(ClusterConfigOverride.With(null, "meshCertificateRotation", "12s"));

        Assert.Equal((5, TimeSpan.FromMinutes(10)), (added.NodeCount, added.MeshCertificateRotation));
        Assert.Equal(ClusterConfigWriter.Render(ClusterConfig.Default with { MeshCertificateRotation = TimeSpan.FromSeconds(12) }), ClusterConfigWriter.Render(made));
    }
}
