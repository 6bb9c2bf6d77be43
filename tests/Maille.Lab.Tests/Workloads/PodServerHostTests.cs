using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Maille.Lab.Workloads;
using Maille.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Workloads;

/// <summary>
/// Pods and ports coming and going on one running <see cref="PodServerHost"/>. IP plan: every pod port is its own
/// socket on 127.0.0.1 with a kernel-chosen port, made by the test as the lab makes them in a pod's namespace.
/// </summary>
public sealed class PodServerHostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Removing_a_pod_port_refuses_new_connects_while_the_other_pod_keeps_answering()
    {
        await using var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0");
        var db = server.AddTcpPod("data", "db-0");
        Assert.Equal("shop/web-0", (await HttpProbe.GetAsync(web, "/hostname")).Body);

        Assert.True(server.Host.RemovePort(new PodPort(new PodId("shop", "web-0"), Protocol.TCP, 8080)));

        var refused = await Assert.ThrowsAsync<SocketException>(() => HttpProbe.GetAsync(web, "/hostname"));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Equal("data/db-0", (await HttpProbe.GetAsync(db, "/hostname")).Body);
    }

    [Fact]
    public async Task A_connection_accepted_before_its_port_was_removed_still_gets_answers()
    {
        await using var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0");
        using var open = await HttpProbe.ConnectAsync(web);
        Assert.Equal("shop/web-0", (await HttpProbe.SendAsync(open, "/hostname", keepAlive: true)).Body);

        server.Host.RemovePort(new PodPort(new PodId("shop", "web-0"), Protocol.TCP, 8080));

        Assert.Equal("still here", (await HttpProbe.SendAsync(open, "/echo?msg=still+here", keepAlive: true)).Body);
    }

    [Fact]
    public async Task Removing_a_pod_closes_all_its_ports_and_its_open_connections_as_its_process_exiting_would()
    {
        await using var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0");
        var pod = new PodId("shop", "web-0");
        server.AddUdpPort(pod, 53);
        using var open = await HttpProbe.ConnectAsync(web);
        Assert.Equal("shop/web-0", (await HttpProbe.SendAsync(open, "/hostname", keepAlive: true)).Body);

        Assert.True(server.Host.RemovePod(pod));

        Assert.Empty(server.Host.Ports);
        Assert.True(await ClosedByServerAsync(open), "the open connection of the removed pod was not closed");
        await Assert.ThrowsAsync<SocketException>(() => HttpProbe.GetAsync(web, "/hostname"));
    }

    [Fact]
    public async Task Removing_a_pod_leaves_the_connections_of_other_pods_open()
    {
        await using var server = await TestPodServer.StartAsync();
        server.AddTcpPod("shop", "web-0");
        var db = server.AddTcpPod("data", "db-0");
        using var open = await HttpProbe.ConnectAsync(db);
        Assert.Equal("data/db-0", (await HttpProbe.SendAsync(open, "/hostname", keepAlive: true)).Body);

        server.Host.RemovePod(new PodId("shop", "web-0"));

        Assert.Equal("still here", (await HttpProbe.SendAsync(open, "/echo?msg=still+here", keepAlive: true)).Body);
    }

    /// <summary>Whether the server ends the connection (an orderly close or a reset) within five seconds.</summary>
    private static async Task<bool> ClosedByServerAsync(Socket connection)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            return await connection.ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_pod_coming_and_going_is_logged_without_warnings()
    {
        var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0");
        server.AddUdpPort(new PodId("shop", "web-0"), 53);
        await HttpProbe.GetAsync(web, "/hostname");
        await HttpProbe.GetAsync(web, "/healthz");
        server.Host.RemovePod(new PodId("shop", "web-0"));
        await server.DisposeAsync();

        foreach (var entry in server.Log.Entries)
        {
            output.WriteLine(entry.ToString());
        }

        Assert.DoesNotContain(server.Log.Entries, entry => entry.Level >= LogLevel.Warning);
        Assert.Contains(server.Log.Entries, entry => entry.EventId.Id == 102); // accepting for the pod port
        Assert.Contains(server.Log.Entries, entry => entry.EventId.Id == 103); // stopped accepting
    }

    [Fact]
    public async Task A_port_removed_and_added_again_with_a_new_socket_answers_again()
    {
        await using var server = await TestPodServer.StartAsync();
        var pod = new PodId("shop", "web-0");
        var key = new PodPort(pod, Protocol.TCP, 8080);
        server.AddTcpPod("shop", "web-0");
        server.Host.RemovePort(key);

        var socket = Loopback.ListenTcp(); // the pod's container restarted and listens again
        var address = Loopback.EndPointOf(socket);
        server.Host.AddPort(key, socket);

        Assert.Equal("shop/web-0", (await HttpProbe.GetAsync(address, "/hostname")).Body);
    }

    [Fact]
    public async Task Stopping_the_host_closes_every_pod_socket()
    {
        var server = await TestPodServer.StartAsync();
        var web = server.AddTcpPod("shop", "web-0");
        Assert.Equal("shop/web-0", (await HttpProbe.GetAsync(web, "/hostname")).Body);

        await server.DisposeAsync();

        var refused = await Assert.ThrowsAsync<SocketException>(() => HttpProbe.GetAsync(web, "/hostname"));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task Ports_added_before_the_server_starts_are_answered_once_it_has_started()
    {
        await using var host = new PodServerHost(new PodServerOptions(), NullLoggerFactory.Instance, TimeProvider.System);
        var pod = new PodId("shop", "early-0");
        host.SetPod(pod, ready: true);
        var socket = Loopback.ListenTcp();
        var address = Loopback.EndPointOf(socket);
        host.AddPort(new PodPort(pod, Protocol.TCP, 8080), socket);

        var answer = HttpProbe.GetAsync(address, "/hostname"); // connects now, is answered after the start
        await Task.Delay(100);
        await host.StartAsync(CancellationToken.None);

        Assert.Equal("shop/early-0", (await answer).Body);
    }

    [Fact]
    public async Task A_udp_port_answers_every_datagram_with_the_pod_name()
    {
        await using var server = await TestPodServer.StartAsync();
        var pod = new PodId("kube-system", "dns-0");
        server.Host.SetPod(pod, ready: true);
        var dns = server.AddUdpPort(pod, 53);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var first = await AskUdpAsync(client, dns, "hello");
        var second = await AskUdpAsync(client, dns, "anything at all");

        Assert.Equal(("kube-system/dns-0", "kube-system/dns-0"), (first.Reply, second.Reply));
        Assert.Equal(dns, first.From);
    }

    [Fact]
    public async Task A_removed_udp_port_no_longer_answers()
    {
        await using var server = await TestPodServer.StartAsync();
        var pod = new PodId("kube-system", "dns-0");
        server.Host.SetPod(pod, ready: true);
        var dns = server.AddUdpPort(pod, 53);

        Assert.True(server.Host.RemovePort(new PodPort(pod, Protocol.UDP, 53)));

        // A connected UDP socket hears the ICMP port unreachable that the closed port now causes. The socket's descriptor
        // is released when its cancelled receive has unwound, so a datagram sent at once may still land in it: send
        // again until the kernel refuses, for at most 5 s.
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await client.ConnectAsync(dns);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        SocketError? refusal = null;
        while (refusal is null && DateTime.UtcNow < deadline)
        {
            await client.SendAsync("hello"u8.ToArray(), SocketFlags.None);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                await client.ReceiveAsync(new byte[64], SocketFlags.None, wait.Token);
            }
            catch (SocketException e)
            {
                refusal = e.SocketErrorCode;
            }
            catch (OperationCanceledException)
            {
                // nothing heard yet: the datagram went to the closing socket
            }
        }

        Assert.Equal(SocketError.ConnectionRefused, refusal);
    }

    [Fact]
    public async Task A_port_is_refused_for_a_pod_not_added_for_the_same_key_twice_and_for_sctp()
    {
        await using var server = await TestPodServer.StartAsync();
        var pod = new PodId("shop", "web-0");
        using var first = Loopback.ListenTcp();
        using var second = Loopback.ListenTcp();
        using var notListening = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        notListening.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.Throws<InvalidOperationException>(() => server.Host.AddPort(new PodPort(pod, Protocol.TCP, 80), first));
        server.Host.SetPod(pod, ready: true);
        server.Host.AddPort(new PodPort(pod, Protocol.TCP, 80), first);
        Assert.Throws<ArgumentException>(() => server.Host.AddPort(new PodPort(pod, Protocol.TCP, 80), second));
        Assert.Throws<ArgumentException>(() => server.Host.AddPort(new PodPort(pod, Protocol.TCP, 81), notListening));
        Assert.Throws<ArgumentException>(() => server.Host.AddPort(new PodPort(pod, Protocol.SCTP, 82), second));
        Assert.Equal([new PodPort(pod, Protocol.TCP, 80)], server.Host.Ports);
    }

    [Fact]
    public async Task Two_hundred_pods_with_one_port_each_are_served_by_one_host()
    {
        const int PodCount = 200;
        await using var server = await TestPodServer.StartAsync();

        var threadsBefore = Process.GetCurrentProcess().Threads.Count;
        var adding = Stopwatch.StartNew();
        var addresses = Enumerable.Range(0, PodCount)
            .Select(i => server.AddTcpPod("load", $"pod-{i:D3}"))
            .ToArray();
        adding.Stop();

        var cold = Stopwatch.StartNew();
        await HttpProbe.GetAsync(addresses[0], "/hostname"); // the process's first requests pay for JIT
        cold.Stop();

        var answering = Stopwatch.StartNew();
        var answers = await Task.WhenAll(addresses.Select(address => HttpProbe.GetAsync(address, "/hostname")));
        answering.Stop();

        var again = Stopwatch.StartNew();
        await Task.WhenAll(addresses.Select(address => HttpProbe.GetAsync(address, "/hostname")));
        again.Stop();

        output.WriteLine(
            $"{PodCount} pods: added in {adding.Elapsed.TotalMilliseconds:F1} ms; first request {cold.Elapsed.TotalMilliseconds:F1} ms; " +
            $"{PodCount} concurrent /hostname answers in {answering.Elapsed.TotalMilliseconds:F1} ms (first round), " +
            $"{again.Elapsed.TotalMilliseconds:F1} ms (second round); " +
            $"threads in process: {threadsBefore} before adding the pods, {Process.GetCurrentProcess().Threads.Count} after answering");
        Assert.Equal(
            Enumerable.Range(0, PodCount).Select(i => $"load/pod-{i:D3}"),
            answers.Select(answer => answer.Body));
    }

    private static async Task<(string Reply, IPEndPoint From)> AskUdpAsync(Socket client, IPEndPoint server, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.SendToAsync(Encoding.UTF8.GetBytes(message), SocketFlags.None, server, timeout.Token);
        var buffer = new byte[256];
        var result = await client.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        return (Encoding.UTF8.GetString(buffer, 0, result.ReceivedBytes), (IPEndPoint)result.RemoteEndPoint);
    }
}
