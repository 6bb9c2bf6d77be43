using System.Net;
using Maille.Model;

namespace Maille.Kube.Tests.Config;

// A lab hands its node agents its configuration as a file: what the writer writes, the loader reads back the same.
public sealed class ClusterConfigWriterTests
{
    [Fact]
    public void A_written_configuration_reads_back_to_the_same_networks_ports_pools_and_dns()
    {
        var config = ClusterConfig.Default with
        {
            NodeNetwork = IPNetwork.Parse("198.18.4.0/24"),
            ClusterCidr = IPNetwork.Parse("198.19.0.0/17"),
            PodCidrPrefix = 26,
            ServiceCidr = IPNetwork.Parse("198.18.128.0/18"),
            NodePortMin = 31000,
            NodePortMax = 31999,
            DnsDomain = "lab.example",
            DnsServiceIP = IPAddress.Parse("198.18.128.53"),
            LoadBalancerPools = new([new AddressPoolConfig("front", new(["198.18.5.0/28", "198.18.6.1-198.18.6.9"]))]),
        };

        var (read, diagnostics) = ClusterConfigLoader.Load("agents/config.yaml", ClusterConfigWriter.Render(config));

        Assert.Empty(diagnostics);
        Assert.NotNull(read);
        Assert.Equal(
            (config.NodeNetwork, config.ClusterCidr, config.PodCidrPrefix, config.ServiceCidr, config.NodePortMin, config.NodePortMax, config.DnsDomain, config.DnsServiceIP, config.LoadBalancerPools),
            (read.NodeNetwork, read.ClusterCidr, read.PodCidrPrefix, read.ServiceCidr, read.NodePortMin, read.NodePortMax, read.DnsDomain, read.DnsServiceIP, read.LoadBalancerPools));
    }

    [Fact]
    public void The_mesh_certificate_rotation_is_written_and_read_back()
    {
        var config = ClusterConfig.Default with { MeshCertificateRotation = TimeSpan.FromMinutes(90) };

        var (read, diagnostics) = ClusterConfigLoader.Load("agents/config.yaml", ClusterConfigWriter.Render(config));

        Assert.Empty(diagnostics);
        Assert.Equal(TimeSpan.FromMinutes(90), read!.MeshCertificateRotation);
    }

    [Fact]
    public void The_ebpf_dataplane_is_written_and_read_back()
    {
        var config = ClusterConfig.Default with { Dataplane = DataplaneKind.Ebpf };

        var (read, diagnostics) = ClusterConfigLoader.Load("agents/config.yaml", ClusterConfigWriter.Render(config));

        Assert.Empty(diagnostics);
        Assert.Equal(DataplaneKind.Ebpf, read!.Dataplane);
        Assert.DoesNotContain("dataplane", ClusterConfigWriter.Render(ClusterConfig.Default), StringComparison.Ordinal);
    }
}
