using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Maille.Engine;
using Maille.Lab.Dns;
using Maille.Lab.Tests.Workloads;
using Maille.Lab.Workloads;
using Maille.Model;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Tests.Dns;

/// <summary>
/// A started <see cref="ClusterDnsServer"/> answering from <see cref="State"/>, which a test may replace, with one DNS
/// pod whose UDP and TCP sockets are on 127.0.0.1 (ports the kernel picks), made as the lab makes them in a pod's
/// namespace; and ARSoft DNS clients for each.
/// </summary>
internal sealed class TestDnsServer : IAsyncDisposable
{
    public static readonly PodId DnsPod = new("kube-system", "coredns-a");

    private readonly ILoggerFactory _loggerFactory;

    private TestDnsServer(ClusterState state, ClusterDnsServerOptions? options)
    {
        State = state;
        _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(Log).SetMinimumLevel(LogLevel.Debug));
        Server = new ClusterDnsServer(() => State, options ?? new ClusterDnsServerOptions(), _loggerFactory, TimeProvider.System);
        Server.Start();
        Udp = AddUdp(DnsPod);
        Tcp = AddTcp(DnsPod);
    }

    public ClusterState State { get; set; }

    public ClusterDnsServer Server { get; }

    public RecordingLoggerProvider Log { get; } = new();

    public IPEndPoint Udp { get; }

    public IPEndPoint Tcp { get; }

    public static TestDnsServer Start(ClusterState state, ClusterDnsServerOptions? options = null) => new(state, options);

    public IPEndPoint AddUdp(PodId pod)
    {
        var socket = Loopback.BindUdp();
        var address = Loopback.EndPointOf(socket);
        Server.AddPort(new PodPort(pod, Protocol.UDP, 53), socket);
        return address;
    }

    public IPEndPoint AddTcp(PodId pod)
    {
        var socket = Loopback.ListenTcp();
        var address = Loopback.EndPointOf(socket);
        Server.AddPort(new PodPort(pod, Protocol.TCP, 53), socket);
        return address;
    }

    /// <summary>Asks over UDP only (no fallback to TCP), so a truncated answer is seen as it is.</summary>
    public static Task<DnsMessage?> AskUdpAsync(IPEndPoint server, string name, RecordType type, bool edns = true) =>
        AskAsync(server, new UdpClientTransport(server.Port), name, type, edns);

    public static Task<DnsMessage?> AskTcpAsync(IPEndPoint server, string name, RecordType type) =>
        AskAsync(server, new TcpClientTransport(server.Port), name, type, edns: true);

    /// <summary>
    /// The bytes of a query as ARSoft's client sends it: the client is pointed at a loopback socket of the test's,
    /// which keeps the first datagram (no wire format is written by hand).
    /// </summary>
    public static async Task<byte[]> QueryBytesAsync(string name, RecordType type, bool edns)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var spy = Workloads.Loopback.BindUdp();
        var client = new DnsClient([IPAddress.Loopback], [new UdpClientTransport(Workloads.Loopback.EndPointOf(spy).Port)], true, 1000);
        using var stopClient = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var unanswered = client.ResolveAsync(DomainName.Parse(name), type, RecordClass.INet, new DnsQueryOptions { IsEDnsEnabled = edns }, stopClient.Token);
        var buffer = new byte[4096];
        var query = await spy.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        await stopClient.CancelAsync();
        try
        {
            await unanswered;
        }
        catch (OperationCanceledException)
        {
        }

        return buffer[..query.ReceivedBytes];
    }

    /// <summary>Sends one query over UDP and returns the response exactly as it came, without a client's retry over TCP.</summary>
    public static async Task<DnsMessage> ExchangeUdpAsync(IPEndPoint server, string name, RecordType type, bool edns)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var asker = Workloads.Loopback.BindUdp();
        await asker.SendToAsync(await QueryBytesAsync(name, type, edns), SocketFlags.None, server, timeout.Token);
        var buffer = new byte[65535];
        var response = await asker.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        return DnsMessage.Parse(new ArraySegment<byte>(buffer, 0, response.ReceivedBytes));
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _loggerFactory.Dispose();
    }

    private static async Task<DnsMessage?> AskAsync(IPEndPoint server, IClientTransport transport, string name, RecordType type, bool edns)
    {
        var client = new DnsClient([server.Address], [transport], true, 3000);
        var options = new DnsQueryOptions { IsEDnsEnabled = edns, IsRecursionDesired = true };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await client.ResolveAsync(DomainName.Parse(name), type, RecordClass.INet, options, timeout.Token);
    }
}
