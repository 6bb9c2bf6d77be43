using System.Net;
using Maille.Lab.Workloads;
using Maille.Model;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Tests.Workloads;

/// <summary>Starts a <see cref="PodServerHost"/> and adds pods to it on loopback sockets the test makes itself.</summary>
internal sealed class TestPodServer : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;

    private TestPodServer(PodServerHost host, RecordingLoggerProvider log, ILoggerFactory loggerFactory)
    {
        Host = host;
        Log = log;
        _loggerFactory = loggerFactory;
    }

    public PodServerHost Host { get; }

    /// <summary>Everything the host and Kestrel logged, from Debug up.</summary>
    public RecordingLoggerProvider Log { get; }

    public static async Task<TestPodServer> StartAsync(PodServerOptions? options = null)
    {
        var log = new RecordingLoggerProvider();
        var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(log).SetMinimumLevel(LogLevel.Debug));
        var host = new PodServerHost(options ?? new PodServerOptions(), loggerFactory, TimeProvider.System);
        await host.StartAsync(CancellationToken.None);
        return new TestPodServer(host, log, loggerFactory);
    }

    /// <summary>Adds a pod with one TCP port on a fresh loopback socket; returns the address to connect to.</summary>
    public IPEndPoint AddTcpPod(string ns, string name, int port = 8080, bool ready = true)
    {
        var pod = new PodId(ns, name);
        Host.SetPod(pod, ready);
        var socket = Loopback.ListenTcp();
        var address = Loopback.EndPointOf(socket);
        Host.AddPort(new PodPort(pod, Protocol.TCP, port), socket);
        return address;
    }

    public IPEndPoint AddUdpPort(PodId pod, int port)
    {
        var socket = Loopback.BindUdp();
        var address = Loopback.EndPointOf(socket);
        Host.AddPort(new PodPort(pod, Protocol.UDP, port), socket);
        return address;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _loggerFactory.Dispose();
    }
}
