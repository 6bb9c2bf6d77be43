using System.Net;
using System.Net.Sockets;
using System.Text;
using Maille.Lab.Agent;

namespace Maille.Lab.Tests.Agent;

/// <summary>
/// The agent's <c>/healthz</c>, as kube-proxy's: 503 until every part has applied what the agent read, 200 while the
/// last sync succeeded, 503 again while a part fails. It is a listener, so it is fuzzed: nothing it is sent makes it
/// answer 5xx other than its own 503, or stop answering.
/// </summary>
public sealed class AgentHealthTests
{
    [Fact]
    public async Task Healthz_is_503_before_the_first_sync_200_after_a_clean_one_and_503_while_a_part_fails()
    {
        await using var health = await AgentHealth.StartAsync(new IPEndPoint(IPAddress.Loopback, 0));
        using var http = new HttpClient { BaseAddress = new Uri($"http://{health.Endpoint}") };

        var before = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        health.Synced(null);
        var synced = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        var live = await http.GetAsync(new Uri("/livez", UriKind.Relative));
        health.Synced("services: nft refused line 3");
        var failing = await http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        Assert.Contains("no sync yet", await before.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, synced.StatusCode);
        Assert.Contains("\"lastUpdated\":\"20", await synced.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        Assert.Contains("nft refused line 3", await failing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync(new Uri("/healthz", UriKind.Relative), new StringContent("x"))).StatusCode);
    }

    [Theory]
    [InlineData("0.0.0.0:10266", true)]
    [InlineData("[::1]:10266", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.0.0.1:0", false)]
    [InlineData("127.0.0.1:70000", false)]
    [InlineData("localhost:10266", false)]
    public void The_bind_address_is_an_address_and_a_port(string text, bool valid)
    {
        var endpoint = AgentHealth.ParseBindAddress(text, out var error);

        Assert.Equal(valid, endpoint is not null);
        Assert.Equal(valid, error is null);
        Assert.True(valid || error!.Contains("--healthz-bind-address", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Random_requests_get_4xx_or_its_own_answers_and_it_keeps_answering()
    {
        await using var health = await AgentHealth.StartAsync(new IPEndPoint(IPAddress.Loopback, 0));
        health.Synced(null);
        var random = new Random(20261206);
        string[] methods = ["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "BREW", "G\u00e9T", ""];
        string[] paths = ["/healthz", "/livez", "/", "/healthz/../livez", "/%00", "//healthz", "/healthz?x=" + new string('a', 4000), "*", "http://x/healthz", "/\u00ff"];
        var statuses = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            var request = new StringBuilder();
            request.Append(methods[random.Next(methods.Length)]).Append(' ').Append(paths[random.Next(paths.Length)]).Append(" HTTP/1.1\r\nHost: x\r\n");
            for (var h = random.Next(4); h > 0; h--)
            {
                request.Append(random.Next(3) switch
                {
                    0 => "Content-Length: " + random.Next(-5, 100),
                    1 => "X-" + random.Next() + ": " + new string((char)random.Next(32, 127), random.Next(0, 9000)),
                    _ => "Transfer-Encoding: chunked",
                }).Append("\r\n");
            }

            request.Append("Connection: close\r\n\r\n").Append(new string('z', random.Next(0, 64)));
            statuses.Add(await SendAsync(health.Endpoint!, request.ToString()));
        }

        Assert.All(statuses, s => Assert.True(s is 0 or 200 or 503 || s is >= 400 and < 500, $"status {s}"));
        Assert.Contains(200, statuses);
        Assert.Equal(HttpStatusCode.OK, (await new HttpClient().GetAsync(new Uri($"http://{health.Endpoint}/healthz"))).StatusCode);
    }

    /// <summary>The status code of the raw request's answer, or 0 when the server closed without one.</summary>
    private static async Task<int> SendAsync(IPEndPoint endpoint, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            var line = Encoding.Latin1.GetString(buffer, 0, read);
            return line.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? int.Parse(line[9..12], System.Globalization.CultureInfo.InvariantCulture) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
