using System.Net.Sockets;
using Maille.Lab.Workloads;
using Maille.Model;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;

namespace Maille.Lab.Tests.Workloads;

/// <summary>
/// The transport on its own, read as Kestrel reads it: bind the one endpoint, accept connections. IP plan: each
/// listener is a socket on 127.0.0.1 with a kernel-chosen port.
/// </summary>
public sealed class DynamicSocketTransportTests
{
    private static readonly PodPort Web = new(new PodId("shop", "web-0"), Protocol.TCP, 8080);
    private static readonly PodPort Db = new(new PodId("data", "db-0"), Protocol.TCP, 5432);

    [Fact]
    public async Task Each_connection_carries_the_key_of_the_listener_it_arrived_on()
    {
        await using var transport = NewTransport();
        var listener = await transport.BindAsync(transport.EndPoint);
        var webSocket = Loopback.ListenTcp();
        var dbSocket = Loopback.ListenTcp();
        var webAddress = Loopback.EndPointOf(webSocket);
        var dbAddress = Loopback.EndPointOf(dbSocket);
        transport.AddListener(Web, webSocket);
        transport.AddListener(Db, dbSocket);

        using var toDb = await HttpProbe.ConnectAsync(dbAddress);
        var first = await AcceptAsync(listener);
        using var toWeb = await HttpProbe.ConnectAsync(webAddress);
        var second = await AcceptAsync(listener);

        Assert.Equal((Db, dbAddress), (first.Features.Get<PodPortFeature>()?.Port, first.LocalEndPoint));
        Assert.Equal((Web, webAddress), (second.Features.Get<PodPortFeature>()?.Port, second.LocalEndPoint));
        Assert.Equal(toWeb.LocalEndPoint, second.RemoteEndPoint);
        await first.DisposeAsync();
        await second.DisposeAsync();
        await listener.UnbindAsync();
    }

    [Fact]
    public async Task Unbinding_ends_accepting_with_null_and_closes_every_listener()
    {
        await using var transport = NewTransport();
        var listener = await transport.BindAsync(transport.EndPoint);
        var socket = Loopback.ListenTcp();
        var address = Loopback.EndPointOf(socket);
        transport.AddListener(Web, socket);

        await listener.UnbindAsync();

        Assert.Null(await listener.AcceptAsync());
        var refused = await Assert.ThrowsAsync<SocketException>(() => HttpProbe.ConnectAsync(address));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Throws<ObjectDisposedException>(() => transport.AddListener(Db, Loopback.ListenTcp()));
    }

    [Fact]
    public async Task Only_its_own_endpoint_binds_and_only_once()
    {
        await using var transport = NewTransport();

        Assert.False(transport.CanBind(new DynamicSocketEndPoint("other")));
        await Assert.ThrowsAsync<NotSupportedException>(async () => await transport.BindAsync(new DynamicSocketEndPoint("other")));
        await transport.BindAsync(transport.EndPoint);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await transport.BindAsync(transport.EndPoint));
    }

    [Fact]
    public async Task Removing_a_listener_that_is_not_served_says_so()
    {
        await using var transport = NewTransport();

        Assert.False(transport.RemoveListener(Web));
    }

    private static DynamicSocketTransport NewTransport() =>
        new(new DynamicSocketEndPoint("test"), new PodServerOptions(), NullLoggerFactory.Instance, TimeProvider.System);

    private static async Task<ConnectionContext> AcceptAsync(IConnectionListener listener)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await listener.AcceptAsync(timeout.Token) ?? throw new InvalidOperationException("The listener stopped.");
    }
}
