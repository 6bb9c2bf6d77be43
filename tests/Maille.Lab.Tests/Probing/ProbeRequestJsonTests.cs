using Maille.Engine.NetworkPolicies;
using Maille.Lab.Probing;
using Maille.Model;

namespace Maille.Lab.Tests.Probing;

// `maille probe --lab` sends its request to the daemon, which probes from the plan it runs: what the CLI parsed must
// arrive as it was, and anything else must be refused (the daemon answers 400) rather than probe something else.
public sealed class ProbeRequestJsonTests
{
    [Fact]
    public void A_request_arrives_at_the_daemon_as_the_cli_parsed_it()
    {
        var sent = new ProbeRequest([new PortProtocol(80, Protocol.TCP), new PortProtocol(53, Protocol.UDP)], "shop-api", TimeSpan.FromMilliseconds(750), new ProbeSample(20000, 7), Json: true);

        var received = ProbeRequestJson.Parse(ProbeRequestJson.Write(sent))!;

        Assert.Equal(sent.Ports, received.Ports);
        Assert.Equal("shop-api", received.Namespace);
        Assert.Equal(TimeSpan.FromMilliseconds(750), received.Timeout);
        Assert.Equal(new ProbeSample(20000, 7), received.Sample);
        Assert.True(received.Json);
    }

    [Fact]
    public void Every_port_of_every_pod_in_every_namespace_is_an_empty_request()
    {
        var received = ProbeRequestJson.Parse(ProbeRequestJson.Write(new ProbeRequest([], null, TimeSpan.FromSeconds(1), null, Json: false)))!;

        Assert.Empty(received.Ports);
        Assert.Null(received.Namespace);
        Assert.Null(received.Sample);
        Assert.False(received.Json);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"ports\": [], \"timeoutMilliseconds\": 0}")]
    [InlineData("{\"ports\": [], \"timeoutMilliseconds\": 3600000}")]
    [InlineData("{\"ports\": [\"eighty\"], \"timeoutMilliseconds\": 1000}")]
    [InlineData("{\"ports\": [80], \"timeoutMilliseconds\": 1000}")]
    [InlineData("{\"ports\": [], \"timeoutMilliseconds\": \"1000\"}")]
    [InlineData("{\"ports\": [], \"timeoutMilliseconds\": 1000, \"sample\": {\"pairs\": 0, \"seed\": 1}}")]
    [InlineData("{\"ports\": [], \"timeoutMilliseconds\": 1000, \"sample\": {\"pairs\": 5}}")]
    [InlineData("{\"ports\": [], \"timeoutMilliseconds\": 1000, \"sample\": 5}")]
    [InlineData("{\"ports\": [], \"timeoutMilliseconds\": 1000, \"namespace\": 7}")]
    [InlineData("{\"ports\": [], \"timeoutMilliseconds\": 1000, \"output\": [\"json\"]}")]
    public void A_body_that_is_not_a_probe_request_is_refused(string body)
    {
        Assert.Null(ProbeRequestJson.Parse(body));
    }
}
