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
}
