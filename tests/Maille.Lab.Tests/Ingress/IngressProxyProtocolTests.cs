using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Maille.Lab.Ingresses;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Maille.Lab.Tests.Ingress;

/// <summary>The proxy on loopback: WebSockets, HTTP/2 on both sides, gRPC trailers, and TLS with certificates by SNI.</summary>
public sealed class IngressProxyProtocolTests
{
    private static readonly Dictionary<string, HttpProtocols> H2Backend = new() { ["app/h2-0"] = HttpProtocols.Http2 };

    [Fact]
    public async Task A_WebSocket_is_upgraded_through_the_proxy_and_echoes()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All());
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{harness.Http}/ws"), CancellationToken.None);
        var pods = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes($"hello {i}"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            var buffer = new byte[256];
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            var echo = Encoding.UTF8.GetString(buffer, 0, received.Count);
            Assert.EndsWith($": hello {i}", echo, StringComparison.Ordinal);
            pods.Add(echo.Split(':')[0]);
        }

        Assert.Single(pods); // one upgraded connection, one backend pod
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        Assert.Equal(WebSocketState.Closed, socket.State);
    }

    [Fact]
    public async Task HTTP2_from_the_client_over_TLS_and_h2c_to_a_backend_chosen_by_annotation()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All(), H2Backend);
        using var h2 = harness.NewClient(HttpVersion.Version20);

        using var response = await h2.GetAsync("https://h2.example/stream?x=1");
        Assert.Equal(HttpVersion.Version20, response.Version);
        var fields = ProxyHarness.Fields(await response.Content.ReadAsStringAsync());
        Assert.Equal("app/h2-0", fields["pod"]);
        Assert.Equal("HTTP/2", fields["protocol"]);
        Assert.Equal("/stream?x=1", fields["target"]);
        Assert.Equal("h2.example", fields["host"]);

        using var toHttp1 = await h2.GetAsync("https://a.example/");
        Assert.Equal(HttpVersion.Version20, toHttp1.Version);
        Assert.Equal("HTTP/1.1", ProxyHarness.Fields(await toHttp1.Content.ReadAsStringAsync())["protocol"]);
    }

    [Fact]
    public async Task HTTP2_by_prior_knowledge_on_the_plain_port()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All(), H2Backend);
        using var h2c = harness.NewClient(HttpVersion.Version20);
        using var response = await h2c.GetAsync("http://h2.example/");
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("HTTP/2", ProxyHarness.Fields(await response.Content.ReadAsStringAsync())["protocol"]);
    }

    [Fact]
    public async Task A_gRPC_backend_gets_HTTP2_and_its_trailers_reach_the_client()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All(), H2Backend);
        using var h2 = harness.NewClient(HttpVersion.Version20);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://grpc.example/grpc")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]) { Headers = { { "Content-Type", "application/grpc" } } },
        };
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        using var response = await h2.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0, 0, 0, 0, 0], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
        Assert.Equal("app/h2-0", response.TrailingHeaders.GetValues("grpc-message").Single());
    }

    [Theory]
    [InlineData("a.example", "CN=a.example")]
    [InlineData("b.example", "CN=b.example")]
    [InlineData("unknown.example", "CN=" + IngressCertificateStore.DefaultCertificateName + ", O=Maille")]
    [InlineData("missing.example", "CN=" + IngressCertificateStore.DefaultCertificateName + ", O=Maille")]
    public async Task The_certificate_is_chosen_by_SNI(string serverName, string subject)
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All());
        using var tls = await HandshakeAsync(harness.Https, serverName);
        Assert.Equal(subject, tls.RemoteCertificate!.Subject);
    }

    [Fact]
    public async Task A_missing_Secret_is_reported_and_its_host_is_still_served()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All());
        Assert.Contains(harness.Proxy.Problems, p => p.ToString() == "Ingress app/secure: spec.tls[2]: no Secret app/absent; its hosts get the default certificate");
        Assert.Contains(harness.Log.Entries, e => e.EventId.Id == 414 && e.Message.Contains("no Secret app/absent", StringComparison.Ordinal));
        var (status, fields) = await harness.GetAsync("https://missing.example/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("app/web-", fields["pod"], StringComparison.Ordinal);
        Assert.Contains(IngressCertificateStore.DefaultCertificateName, harness.LastServerCertificate!.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SNI_picks_the_certificate_and_Host_picks_the_route()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All());
        using var tls = await HandshakeAsync(harness.Https, "a.example");
        Assert.Equal("CN=a.example", tls.RemoteCertificate!.Subject);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("GET /api/x HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(tls);
        var answer = await reader.ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 200 OK", answer, StringComparison.Ordinal);
        Assert.Contains("pod=app/api-0", answer, StringComparison.Ordinal);
    }

    /// <summary>A TLS connection to the proxy with <paramref name="serverName"/> as SNI; the certificate is judged by the test.</summary>
    private static async Task<SslStream> HandshakeAsync(IPEndPoint proxy, string serverName)
    {
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(proxy);
        var tls = new SslStream(new NetworkStream(tcp, ownsSocket: true));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = serverName, RemoteCertificateValidationCallback = (_, c, _, _) => c is not null });
        return tls;
    }
}
