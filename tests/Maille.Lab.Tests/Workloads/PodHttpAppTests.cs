using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Maille.Lab.Workloads;
using Maille.Model;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Workloads;

/// <summary>
/// The endpoints a pod's TCP port answers, through a running <see cref="PodServerHost"/>. IP plan: every pod listens
/// on its own socket on 127.0.0.1 with a kernel-chosen port; the client connects from 127.0.0.1.
/// </summary>
public sealed class PodHttpAppTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_pods_on_two_sockets_each_answer_hostname_with_their_own_name()
    {
        await using var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0");
        var db = server.AddTcpPod("data", "db-0", port: 5432);

        var fromWeb = await HttpProbe.GetAsync(web, "/hostname");
        var fromDb = await HttpProbe.GetAsync(db, "/hostname");

        Assert.Equal((200, "shop/web-0"), (fromWeb.Status, fromWeb.Body));
        Assert.Equal((200, "data/db-0"), (fromDb.Status, fromDb.Body));
        Assert.StartsWith("text/plain", fromWeb.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clientip_reports_the_client_address_and_port_as_the_pod_sees_them()
    {
        await using var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0");

        var answer = await HttpProbe.GetAsync(web, "/clientip");

        Assert.Equal(200, answer.Status);
        Assert.Equal(answer.Client.ToString(), answer.Body); // e.g. 127.0.0.1:43512
    }

    [Fact]
    public async Task Clientip_of_an_ipv6_client_is_bracketed_as_go_prints_it()
    {
        await using var server = await TestPodServer.StartAsync();
        var pod = new PodId("shop", "web-6");
        server.Host.SetPod(pod, ready: true);
        var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        socket.Listen(16);
        var address = Loopback.EndPointOf(socket);
        server.Host.AddPort(new PodPort(pod, Protocol.TCP, 8080), socket);

        var answer = await HttpProbe.GetAsync(address, "/clientip");

        Assert.Equal($"[::1]:{answer.Client.Port}", answer.Body);
    }

    [Fact]
    public async Task Echo_returns_the_msg_parameter_decoded()
    {
        await using var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0");

        var answer = await HttpProbe.GetAsync(web, "/echo?msg=hello%20lab");
        var repeated = await HttpProbe.GetAsync(web, "/echo?msg=first&msg=second");
        var missing = await HttpProbe.GetAsync(web, "/echo");

        Assert.Equal((200, "hello lab"), (answer.Status, answer.Body));
        Assert.Equal("first", repeated.Body); // as Go's FormValue: the first value
        Assert.Equal((200, ""), (missing.Status, missing.Body));
    }

    [Fact]
    public async Task Any_other_path_describes_the_request_as_received_including_custom_headers()
    {
        await using var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0");

        var answer = await HttpProbe.GetAsync(
            web,
            "/api/items?page=2&sort=name",
            ("Host", "shop.example"),
            ("X-Forwarded-For", "203.0.113.9"),
            ("X-Maille-Test", "through the proxy"));

        output.WriteLine(answer.Body);
        Assert.Equal(200, answer.Status);
        Assert.StartsWith("application/json", answer.ContentType, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(answer.Body);
        var root = json.RootElement;
        Assert.Equal("shop/web-0", root.GetProperty("pod").GetString());
        Assert.Equal("GET", root.GetProperty("method").GetString());
        Assert.Equal("/api/items", root.GetProperty("path").GetString());
        Assert.Equal("page=2&sort=name", root.GetProperty("query").GetString());
        Assert.Equal("shop.example", root.GetProperty("host").GetString());
        Assert.Equal("through the proxy", root.GetProperty("headers").GetProperty("X-Maille-Test").GetString());
        Assert.Equal("203.0.113.9", root.GetProperty("headers").GetProperty("X-Forwarded-For").GetString());
        Assert.Equal(answer.Client.ToString(), root.GetProperty("clientIP").GetString());
        Assert.Equal(web.ToString(), root.GetProperty("serverAddress").GetString());
        Assert.Equal("/api/items?page=2&sort=name", root.GetProperty("target").GetString());
    }

    [Fact]
    public async Task Healthz_follows_the_pod_readiness_flag()
    {
        await using var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0", ready: false);
        var pod = new PodId("shop", "web-0");

        var whileStarting = await HttpProbe.GetAsync(web, "/healthz");
        server.Host.SetPod(pod, ready: true);
        var onceReady = await HttpProbe.GetAsync(web, "/healthz");
        server.Host.SetPod(pod, ready: false);
        var afterFailing = await HttpProbe.GetAsync(web, "/healthz");

        Assert.Equal(503, whileStarting.Status);
        Assert.Equal((200, "ok"), (onceReady.Status, onceReady.Body));
        Assert.Equal(503, afterFailing.Status);
    }

    [Fact]
    public async Task A_connection_that_sends_nothing_is_accepted_and_may_send_a_request_later()
    {
        await using var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0");

        using var silent = await HttpProbe.ConnectAsync(web);
        await Task.Delay(300);
        Assert.True(silent.Connected);
        var answer = await HttpProbe.SendAsync(silent, "/hostname", keepAlive: true);

        Assert.Equal("shop/web-0", answer.Body);
    }

    [Fact]
    public async Task A_keep_alive_connection_answers_several_requests()
    {
        await using var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0");

        using var connection = await HttpProbe.ConnectAsync(web);
        var first = await HttpProbe.SendAsync(connection, "/echo?msg=one", keepAlive: true);
        var second = await HttpProbe.SendAsync(connection, "/echo?msg=two", keepAlive: true);

        Assert.Equal(("one", "two"), (first.Body, second.Body));
        Assert.Equal(first.Client, second.Client);
        connection.Shutdown(SocketShutdown.Both);
    }

    [Fact]
    public async Task Ws_echoes_every_WebSocket_message_and_closes_when_asked()
    {
        await using var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0");

        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(new Uri($"ws://{web}/ws"), timeout.Token);
        var buffer = new byte[64];
        foreach (var message in new[] { "hello", "second message" })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal((WebSocketMessageType.Text, true, message), (received.MessageType, received.EndOfMessage, Encoding.UTF8.GetString(buffer, 0, received.Count)));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal(426, (await HttpProbe.GetAsync(web, "/ws")).Status);
    }

    [Fact]
    public async Task One_port_answers_HTTP_1_1_and_HTTP_2_with_prior_knowledge_alike()
    {
        await using var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0");
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        var http11 = await GetAsync(client, $"http://{web}/hostname", HttpVersion.Version11);
        var h2c = await GetAsync(client, $"http://{web}/hostname", HttpVersion.Version20);

        Assert.Equal((HttpVersion.Version11, "shop/web-0"), http11);
        Assert.Equal((HttpVersion.Version20, "shop/web-0"), h2c);
    }

    [Fact]
    public async Task A_gRPC_call_to_any_method_succeeds_with_one_empty_message_and_the_pod_name_in_grpc_message()
    {
        await using var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0", port: 9000);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var call = new HttpRequestMessage(HttpMethod.Post, $"http://{web}/any.package.AnyService/AnyMethod")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 3, 1, 2, 3]), // one uncompressed message of 3 bytes
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        call.Content.Headers.ContentType = new("application/grpc+proto");

        using var response = await client.SendAsync(call);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new byte[5], body);
        Assert.Equal(["0"], response.TrailingHeaders.GetValues("grpc-status"));
        Assert.Equal(["shop/web-0"], response.TrailingHeaders.GetValues("grpc-message"));
        Assert.Contains(server.Host.Logs.Read("shop/web-0", PodLogs.ServerLog, tail: null, follow: false).Lines, line => line.Text.Contains("\"POST /any.package.AnyService/AnyMethod HTTP/2\" 200 (port 9000)", StringComparison.Ordinal));
    }

    private static async Task<(Version Version, string Body)> GetAsync(HttpClient client, string url, Version version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.SendAsync(request);
        return (response.Version, await response.Content.ReadAsStringAsync());
    }
}
