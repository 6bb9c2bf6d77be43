using System.Net;
using Maille.Engine.Services;
using Maille.Model;

namespace Maille.Engine.Tests.Services;

// Endpoints are written node:address:state, state one of ready, not-ready, terminating (serving while terminating)
// and gone (terminating, no longer serving). The deciding node is node-1 unless a test says otherwise.
public sealed class EndpointCategorizationTests
{
    [Fact]
    public void Ready_endpoints_anywhere_are_the_cluster_endpoints_and_those_on_the_node_the_local_ones()
    {
        var categorized = Categorize("node-1", "node-2:10.0.0.2:ready", "node-1:10.0.0.1:ready", "node-2:10.0.0.3:not-ready");

        Assert.Equal(["10.0.0.1", "10.0.0.2"], Addresses(categorized.Cluster));
        Assert.Equal(["10.0.0.1"], Addresses(categorized.Local));
        Assert.True(categorized.HasAnyEndpoints);
    }

    [Fact]
    public void Serving_terminating_endpoints_are_used_only_when_none_is_ready()
    {
        Assert.Equal(["10.0.0.1"], Addresses(Categorize("node-1", "node-1:10.0.0.1:ready", "node-1:10.0.0.2:terminating").Cluster));
        Assert.Equal(["10.0.0.2"], Addresses(Categorize("node-1", "node-1:10.0.0.3:gone", "node-1:10.0.0.2:terminating").Cluster));
    }

    [Fact]
    public void The_local_fallback_to_terminating_endpoints_is_decided_among_the_node_s_own_endpoints()
    {
        var categorized = Categorize("node-1", "node-1:10.0.0.1:terminating", "node-2:10.0.0.2:ready");

        Assert.Equal(["10.0.0.2"], Addresses(categorized.Cluster));
        Assert.Equal(["10.0.0.1"], Addresses(categorized.Local));
    }

    [Fact]
    public void A_node_without_usable_endpoints_has_no_local_ones_while_others_exist()
    {
        var categorized = Categorize("node-1", "node-1:10.0.0.1:gone", "node-2:10.0.0.2:ready");

        Assert.Empty(categorized.Local);
        Assert.True(categorized.HasAnyEndpoints);
    }

    [Fact]
    public void Without_a_deciding_node_no_endpoint_is_local()
    {
        Assert.Empty(Categorize(null, "node-1:10.0.0.1:ready").Local);
    }

    [Fact]
    public void Endpoints_that_neither_are_ready_nor_serve_while_terminating_count_as_none()
    {
        var categorized = Categorize("node-1", "node-1:10.0.0.1:not-ready", "node-2:10.0.0.2:gone");

        Assert.Empty(categorized.Cluster);
        Assert.False(categorized.HasAnyEndpoints);
    }

    private static EndpointCategorization Categorize(string? node, params string[] endpoints) =>
        EndpointCategorization.Of([.. endpoints.Select(Endpoint)], node);

    private static ServiceEndpoint Endpoint(string text)
    {
        var parts = text.Split(':');
        var conditions = parts[2] switch
        {
            "ready" => new EndpointConditions(true, true, false),
            "not-ready" => new EndpointConditions(false, false, false),
            "terminating" => new EndpointConditions(false, true, true),
            "gone" => new EndpointConditions(false, false, true),
            _ => throw new ArgumentException(text, nameof(text)),
        };
        return new ServiceEndpoint(IPAddress.Parse(parts[1]), 8080, parts[0], null, conditions);
    }

    private static string[] Addresses(EquatableArray<ServiceEndpoint> endpoints) => [.. endpoints.Select(e => e.Address.ToString())];
}
