using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Maille.Lab.Api.Spdy;

namespace Maille.Lab.Api;

/// <summary>
/// One <c>pods/portforward</c> session (<c>kubectl port-forward</c>): SPDY/3.1 in the Kubernetes protocol
/// <c>portforward.k8s.io</c>, over a WebSocket (kubectl 1.31 and later tunnel the SPDY bytes in binary messages) or an
/// upgraded HTTP/1.1 connection. Per local connection kubectl opens two streams with the headers <c>streamtype</c>
/// (<c>error</c> or <c>data</c>), <c>port</c> and <c>requestid</c>; once both are there the session connects to the
/// port inside the pod's network namespace (<see cref="Connector"/>) and copies bytes both ways on the data stream.
/// A failure to connect is written on the error stream, as the kubelet writes it; either way both streams then end.
/// </summary>
/// <remarks>
/// Follows the kubelet's handler (<c>pkg/kubelet/cri/streaming/portforward/httpstream.go</c>): each stream is answered
/// with SYN_REPLY, streams with a missing or wrong header are reset, a pair that is not completed within
/// <see cref="StreamCreationTimeout"/> gets "timed out waiting for streams". kubectl keeps no flow-control windows
/// (its spdystream ignores WINDOW_UPDATE and SETTINGS), so neither does this session. A frame that breaks SPDY's rules
/// ends the session with GOAWAY(PROTOCOL_ERROR).
/// </remarks>
internal sealed class PodPortForward(Stream transport, string pod, PodPortForward.Connector connect) : IDisposable
{
    /// <summary>The port-forward protocol, negotiated in <c>X-Stream-Protocol-Version</c> over plain SPDY.</summary>
    public const string Protocol = "portforward.k8s.io";

    /// <summary>The WebSocket subprotocol kubectl asks for: the SPDY tunnelling prefix before <see cref="Protocol"/>.</summary>
    public const string WebSocketProtocol = "SPDY/3.1+" + Protocol;

    /// <summary>How many connections may be open or opening at once in one session.</summary>
    public const int MaxPairs = 256;

    private const int ChunkSize = 32 * 1024;

    private readonly SpdyFrameReader _reader = new(transport);
    private readonly SpdyFrameWriter _writer = new(transport);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Pair> _pairs = [];
    private readonly Dictionary<uint, Pair> _streams = [];
    private readonly List<Task> _tasks = [];
    private uint _lastStreamId;

    /// <summary>Opens a TCP connection to <c>port</c> in the pod; its failures (<see cref="IOException"/>,
    /// <see cref="SocketException"/>) are written on the error stream in their own words.</summary>
    public delegate ValueTask<Socket> Connector(int port, CancellationToken cancellationToken);

    /// <summary>How long the second stream of a pair may take (the kubelet's default).</summary>
    public TimeSpan StreamCreationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public void Dispose() => _writer.Dispose();

    /// <summary>Serves the session until the client goes away (GOAWAY, end of stream) or breaks the protocol.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var status = SpdyFrame.GoAwayOk;
        try
        {
            while (await _reader.ReadAsync(session.Token) is { } frame && frame.Type != SpdyFrameType.GoAway)
            {
                await HandleAsync(frame, session.Token);
            }
        }
        catch (SpdyProtocolException)
        {
            status = SpdyFrame.GoAwayProtocolError;
        }
        catch (Exception e) when (IsTransportGone(e))
        {
            // The client went: nothing more can be said to it.
        }
        finally
        {
            await session.CancelAsync();
            Task[] tasks;
            lock (_lock)
            {
                tasks = [.. _tasks];
            }

            await Task.WhenAll(tasks);
        }

        await Quietly(_writer.WriteAsync(SpdyFrame.GoAway(_lastStreamId, status), cancellationToken));
    }

    private async ValueTask HandleAsync(SpdyFrame frame, CancellationToken session)
    {
        switch (frame.Type)
        {
            case SpdyFrameType.SynStream:
                await OpenAsync(frame, session);
                break;
            case SpdyFrameType.Data:
                await ReceiveAsync(frame, session);
                break;
            case SpdyFrameType.RstStream:
                Reset(frame.StreamId);
                break;
            case SpdyFrameType.Ping when frame.StreamId % 2 == 1:
                // The client's pings (odd ids) are answered with the same frame; kubectl pings every 10 s.
                await _writer.WriteAsync(frame, session);
                break;
            default:
                // SETTINGS, WINDOW_UPDATE, HEADERS, SYN_REPLY, unknown types: nothing to do for a port-forward.
                break;
        }
    }

    private async ValueTask OpenAsync(SpdyFrame frame, CancellationToken session)
    {
        var id = frame.StreamId;
        if (id % 2 == 0 || id <= _lastStreamId)
        {
            throw new SpdyProtocolException($"the client opened stream {id} after {_lastStreamId} (its ids are odd and rise)");
        }

        _lastStreamId = id;
        var type = frame.Header("streamtype");
        if (!int.TryParse(frame.Header("port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535
            || type is not ("error" or "data"))
        {
            await _writer.WriteAsync(SpdyFrame.RstStream(id, SpdyFrame.RefusedStream), session);
            return;
        }

        // Clients older than request ids: the kubelet pairs an error stream with the data stream two ids later.
        var requestId = frame.Header("requestid") ?? (type == "error" ? id : id - 2).ToString(CultureInfo.InvariantCulture);
        Pair? pair;
        var created = false;
        lock (_lock)
        {
            if (!_pairs.TryGetValue(requestId, out pair) && _pairs.Count < MaxPairs)
            {
                pair = new Pair(port);
                _pairs[requestId] = pair;
                created = true;
            }

            if (pair is not null && (type == "error" ? pair.ErrorStream : pair.DataStream) is null)
            {
                if (type == "error")
                {
                    pair.ErrorStream = id;
                }
                else
                {
                    pair.DataStream = id;
                    pair.Port = port;
                }

                _streams[id] = pair;
            }
            else
            {
                pair = null;
            }
        }

        if (pair is null)
        {
            // A second stream of a type the pair has, or too many connections at once.
            await _writer.WriteAsync(SpdyFrame.RstStream(id, SpdyFrame.RefusedStream), session);
            return;
        }

        await _writer.WriteAsync(SpdyFrame.SynReply(id), session);
        if (frame.IsFin && type == "data")
        {
            pair.Inbound.Writer.TryComplete();
        }

        lock (_lock)
        {
            if (created)
            {
                _tasks.Add(ExpireAsync(requestId, pair, session));
            }

            if (pair.IsComplete)
            {
                _tasks.Add(ForwardAsync(requestId, pair, session));
            }
        }
    }

    private async ValueTask ReceiveAsync(SpdyFrame frame, CancellationToken session)
    {
        Pair? pair;
        lock (_lock)
        {
            _streams.TryGetValue(frame.StreamId, out pair);
        }

        // Data on the error stream (kubectl only ends its half) or on a stream already over is dropped.
        if (pair is null || pair.DataStream != frame.StreamId)
        {
            return;
        }

        if (!frame.Data.IsEmpty)
        {
            try
            {
                await pair.Inbound.Writer.WriteAsync(frame.Data, session);
            }
            catch (ChannelClosedException)
            {
                // The pod's side is closed: what the client still sends has nowhere to go.
            }
        }

        if (frame.IsFin)
        {
            pair.Inbound.Writer.TryComplete();
        }
    }

    /// <summary>The client reset a stream (kubectl resets the data stream when it is done): the pod's side stops.</summary>
    private void Reset(uint streamId)
    {
        lock (_lock)
        {
            if (_streams.Remove(streamId, out var pair))
            {
                pair.Stop.Cancel();
                pair.Inbound.Writer.TryComplete();
            }
        }
    }

    private async Task ForwardAsync(string requestId, Pair pair, CancellationToken session)
    {
        await Task.Yield();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(session, pair.Stop.Token);
        try
        {
            Socket socket;
            try
            {
                socket = await connect(pair.Port, stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                var message = $"error forwarding port {pair.Port} to pod {pod}: {e.Message}";
                await _writer.WriteAsync(SpdyFrame.DataFrame(pair.ErrorStream!.Value, Encoding.UTF8.GetBytes(message)), session);
                return;
            }

            using (socket)
            {
                var toPod = ToPodAsync(pair, socket, stop.Token);
                await FromPodAsync(pair, socket, stop.Token);
                await stop.CancelAsync();
                await toPod;
            }
        }
        catch (Exception e) when (IsTransportGone(e))
        {
            // The client reset the stream or left; the session ends the rest.
        }
        finally
        {
            pair.Inbound.Writer.TryComplete();
            lock (_lock)
            {
                _pairs.Remove(requestId);
            }

            // Both halves end, the data stream first: kubectl waits for the end of the error stream after the data's.
            await Quietly(_writer.WriteAsync(SpdyFrame.DataFrame(pair.DataStream!.Value, ReadOnlyMemory<byte>.Empty, fin: true), session));
            await Quietly(_writer.WriteAsync(SpdyFrame.DataFrame(pair.ErrorStream!.Value, ReadOnlyMemory<byte>.Empty, fin: true), session));
            lock (_lock)
            {
                _streams.Remove(pair.DataStream!.Value);
                _streams.Remove(pair.ErrorStream!.Value);
            }
        }
    }

    private async Task FromPodAsync(Pair pair, Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkSize];
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            }
            catch (SocketException)
            {
                // The pod reset the connection: the client sees its stream end.
                return;
            }

            if (read == 0)
            {
                return;
            }

            await _writer.WriteAsync(SpdyFrame.DataFrame(pair.DataStream!.Value, buffer.AsMemory(0, read)), cancellationToken);
        }
    }

    /// <summary>The client's bytes into the pod; its end of the stream (FIN) is the end of the connection's sending half.</summary>
    private static async Task ToPodAsync(Pair pair, Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var chunk in pair.Inbound.Reader.ReadAllAsync(cancellationToken))
            {
                await socket.SendAsync(chunk, SocketFlags.None, cancellationToken);
            }

            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The pod closed, or the forward is over.
        }
    }

    /// <summary>A pair whose second stream does not come in time is dropped, with the kubelet's message.</summary>
    private async Task ExpireAsync(string requestId, Pair pair, CancellationToken session)
    {
        try
        {
            await Task.Delay(StreamCreationTimeout, session);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_lock)
        {
            if (pair.IsComplete || !_pairs.Remove(requestId))
            {
                return;
            }

            _streams.Remove(pair.ErrorStream ?? 0);
            _streams.Remove(pair.DataStream ?? 0);
        }

        pair.Inbound.Writer.TryComplete();
        if (pair.ErrorStream is { } errorStream)
        {
            var message = Encoding.UTF8.GetBytes($"timed out waiting for streams of request {requestId}");
            await Quietly(_writer.WriteAsync(SpdyFrame.DataFrame(errorStream, message, fin: true), session));
        }

        if (pair.DataStream is { } dataStream)
        {
            await Quietly(_writer.WriteAsync(SpdyFrame.DataFrame(dataStream, ReadOnlyMemory<byte>.Empty, fin: true), session));
        }
    }

    private static bool IsTransportGone(Exception e) =>
        e is OperationCanceledException or IOException or WebSocketException or ObjectDisposedException or ChannelClosedException;

    private static async Task Quietly(ValueTask write)
    {
        try
        {
            await write;
        }
        catch (Exception e) when (IsTransportGone(e))
        {
            // The client is gone or the session over: nothing to tell it.
        }
    }

    /// <summary>The error and data streams of one forwarded connection.</summary>
    private sealed class Pair(int port)
    {
        public int Port { get; set; } = port;

        public uint? ErrorStream { get; set; }

        public uint? DataStream { get; set; }

        public bool IsComplete => ErrorStream is not null && DataStream is not null;

        /// <summary>What the client sent on the data stream, not yet written to the pod: a few frames, then the
        /// session waits (the kubelet's spdystream blocks the same way).</summary>
        public Channel<ReadOnlyMemory<byte>> Inbound { get; } = Channel.CreateBounded<ReadOnlyMemory<byte>>(16);

        public CancellationTokenSource Stop { get; } = new();
    }
}
