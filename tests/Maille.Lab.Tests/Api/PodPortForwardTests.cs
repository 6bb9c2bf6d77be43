using System.Net;
using System.Net.Sockets;
using System.Text;
using Maille.Lab.Api;
using Maille.Lab.Api.Spdy;
using Maille.Lab.Tests.Api.Spdy;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// A port-forward session driven frame by frame, as kubectl drives it: per connection an error stream and a data
/// stream with the same request id. The "pod" is a loopback server that answers <c>echo:</c> and what it read once the
/// client ends its half; the session's transport is a loopback TCP connection.
/// </summary>
public sealed class PodPortForwardTests : IAsyncDisposable
{
    private readonly TcpListener _pod = new(IPAddress.Loopback, 0);
    private readonly Task _podServing;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(120));

    public PodPortForwardTests()
    {
        _pod.Start();
        _podServing = ServePodAsync();
    }

    private int PodPort => ((IPEndPoint)_pod.LocalEndpoint).Port;

    [Fact]
    public async Task TwoConnectionsAtOnce_AreEachForwardedOnTheirDataStream_ThenBothOfTheirStreamsEnd()
    {
        await using var session = await Session.StartAsync(_stop.Token);

        await session.OpenAsync(1, "error", PodPort, "0");
        await session.OpenAsync(3, "data", PodPort, "0");
        await session.OpenAsync(5, "error", PodPort, "1");
        await session.OpenAsync(7, "data", PodPort, "1");
        await session.SendAsync(SpdyFrame.DataFrame(1, ReadOnlyMemory<byte>.Empty, fin: true));
        await session.SendAsync(SpdyFrame.DataFrame(7, "second"u8.ToArray(), fin: true));
        await session.SendAsync(SpdyFrame.DataFrame(3, "first"u8.ToArray(), fin: true));
        var frames = await session.ReadUntilEndedAsync([1, 3, 5, 7]);

        Assert.Equal([1u, 3u, 5u, 7u], frames.Where(f => f.Type == SpdyFrameType.SynReply).Select(f => f.StreamId).Order());
        Assert.Equal("echo:first", Session.Text(frames, 3));
        Assert.Equal("echo:second", Session.Text(frames, 7));
        Assert.Equal("", Session.Text(frames, 1));
        Assert.Equal("", Session.Text(frames, 5));
    }

    [Fact]
    public async Task APortNothingListensOn_IsReportedOnTheErrorStream_AndTheSessionForwardsTheNextConnection()
    {
        var closed = ClosedPort();
        await using var session = await Session.StartAsync(_stop.Token);

        await session.OpenAsync(1, "error", closed, "0");
        await session.OpenAsync(3, "data", closed, "0");
        var failed = await session.ReadUntilEndedAsync([1, 3]);
        await session.OpenAsync(5, "error", PodPort, "1");
        await session.OpenAsync(7, "data", PodPort, "1");
        await session.SendAsync(SpdyFrame.DataFrame(7, "again"u8.ToArray(), fin: true));
        var next = await session.ReadUntilEndedAsync([5, 7]);

        Assert.StartsWith($"error forwarding port {closed} to pod x/a: ", Session.Text(failed, 1), StringComparison.Ordinal);
        Assert.Contains("refused", Session.Text(failed, 1), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("", Session.Text(failed, 3));
        Assert.Equal("echo:again", Session.Text(next, 7));
    }

    [Fact]
    public async Task StreamsWithAWrongPortOrType_OrASecondOfTheSameTypeForARequest_AreRefused_AndTheClientsPingsAnswered()
    {
        await using var session = await Session.StartAsync(_stop.Token);

        await session.SendAsync(SpdyFrame.SynStream(1, [new("streamtype", "data"), new("requestid", "0")]));
        await session.SendAsync(SpdyFrame.SynStream(3, [new("streamtype", "data"), new("port", "0"), new("requestid", "0")]));
        await session.SendAsync(SpdyFrame.SynStream(5, [new("streamtype", "data"), new("port", "http"), new("requestid", "0")]));
        await session.SendAsync(SpdyFrame.SynStream(7, [new("streamtype", "bogus"), new("port", "80"), new("requestid", "0")]));
        await session.SendAsync(SpdyFrame.Ping(9));
        await session.OpenAsync(11, "error", PodPort, "1");
        await session.OpenAsync(13, "error", PodPort, "1");
        var frames = await session.ReadAsync(7);

        Assert.Equal(
            [
                (SpdyFrameType.RstStream, 1u, SpdyFrame.RefusedStream), (SpdyFrameType.RstStream, 3u, SpdyFrame.RefusedStream),
                (SpdyFrameType.RstStream, 5u, SpdyFrame.RefusedStream), (SpdyFrameType.RstStream, 7u, SpdyFrame.RefusedStream),
                (SpdyFrameType.Ping, 9u, 0u), (SpdyFrameType.SynReply, 11u, 0u), (SpdyFrameType.RstStream, 13u, SpdyFrame.RefusedStream),
            ],
            frames.Select(f => (f.Type, f.StreamId, f.Value)));
    }

    [Fact]
    public async Task AnErrorStreamWhoseDataStreamNeverComes_IsToldItTimedOut()
    {
        await using var session = await Session.StartAsync(_stop.Token, TimeSpan.FromMilliseconds(200));

        await session.OpenAsync(1, "error", PodPort, "0");
        var frames = await session.ReadUntilEndedAsync([1]);

        Assert.Equal("timed out waiting for streams of request 0", Session.Text(frames, 1));
    }

    public static TheoryData<string, byte[]> MalformedFrames()
    {
        var frames = SpdyFrameReaderTests.MalformedFrames;
        frames.Add("a stream id below the last one", [.. SpdyFrames.KubectlDataStream, .. SpdyFrames.KubectlErrorStream]);
        frames.Add("an even stream id from the client", [.. SpdyFrames.KubectlErrorStream[..11], 2, .. SpdyFrames.KubectlErrorStream[12..]]);
        return frames;
    }

    [Theory]
    [MemberData(nameof(MalformedFrames))]
    public async Task AMalformedFrame_EndsTheSessionWithGoAwayProtocolError_AndNothingElse(string why, byte[] bytes)
    {
        await using var session = await Session.StartAsync(_stop.Token);

        await session.SendRawAndEndAsync(bytes);
        var frames = await session.ReadToEndAsync();
        await session.Ended.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(frames.Count > 0, why);
        Assert.Equal((SpdyFrameType.GoAway, SpdyFrame.GoAwayProtocolError), (frames[^1].Type, frames[^1].Value));
    }

    [Fact]
    public async Task SeededGarbageAfterAValidStream_EndsEverySession_WithAGoAwayAndNoCrash()
    {
        var random = new Random(15);
        for (var i = 0; i < 100; i++)
        {
            // Frame headers that look right (control bit and version 3, or a data frame for stream 1) with random
            // types, flags, lengths and payloads, so that the reader gets past the first checks.
            var garbage = new List<byte>(SpdyFrames.KubectlErrorStream);
            for (var frame = random.Next(1, 6); frame > 0; frame--)
            {
                var payload = new byte[random.Next(0, 40)];
                random.NextBytes(payload);
                var length = random.Next(4) == 0 ? random.Next(0, 1 << 24) : payload.Length;
                garbage.AddRange(random.Next(2) == 0 ? [0x80, 3, 0, (byte)random.Next(0, 12)] : [0, 0, 0, 1]);
                garbage.AddRange([(byte)random.Next(0, 4), (byte)(length >> 16), (byte)(length >> 8), (byte)length]);
                garbage.AddRange(payload);
            }

            await using var session = await Session.StartAsync(_stop.Token);
            await session.SendRawAndEndAsync([.. garbage]);
            var read = session.ReadToEndAsync();
            await Task.WhenAny(Task.WhenAll(read, session.Ended), Task.Delay(TimeSpan.FromSeconds(10)));
            Assert.True(read.IsCompletedSuccessfully && session.Ended.IsCompletedSuccessfully, $"garbage #{i} did not end the session: {Convert.ToHexString([.. garbage])}");
            var frames = await read;

            Assert.True(frames.Count > 0 && frames[^1].Type == SpdyFrameType.GoAway, $"garbage #{i}: {Convert.ToHexString([.. garbage])}");
        }
    }

    [Fact]
    public async Task TheClientsGoAway_EndsTheSession()
    {
        await using var session = await Session.StartAsync(_stop.Token);

        await session.OpenAsync(1, "error", PodPort, "0");
        await session.SendAsync(SpdyFrame.GoAway(1, SpdyFrame.GoAwayOk));

        await session.Ended.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        _pod.Stop();
        await _stop.CancelAsync();
        await Task.WhenAny(_podServing, Task.Delay(TimeSpan.FromSeconds(5)));
        _stop.Dispose();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task ServePodAsync()
    {
        try
        {
            while (true)
            {
                var client = await _pod.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        using var read = new MemoryStream();
                        await stream.CopyToAsync(read, _stop.Token);
                        await stream.WriteAsync(Encoding.ASCII.GetBytes("echo:" + Encoding.ASCII.GetString(read.ToArray())), _stop.Token);
                    }
                });
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The test is over.
        }
    }

    /// <summary>The client's end of a session, and the session itself on the other end of a loopback connection.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly Socket _client;
        private readonly Socket _server;
        private readonly SpdyFrameWriter _writer;
        private readonly SpdyFrameReader _reader;
        private readonly PodPortForward _forward;
        private readonly CancellationToken _cancellationToken;

        private Session(Socket client, Socket server, TimeSpan? streamCreationTimeout, CancellationToken cancellationToken)
        {
            _client = client;
            _server = server;
            _cancellationToken = cancellationToken;
            var clientStream = new NetworkStream(client);
            _writer = new SpdyFrameWriter(clientStream);
            _reader = new SpdyFrameReader(clientStream);
            _forward = new PodPortForward(new NetworkStream(server), "x/a", ConnectAsync)
            {
                StreamCreationTimeout = streamCreationTimeout ?? TimeSpan.FromSeconds(30),
            };
            Ended = _forward.RunAsync(cancellationToken);
        }

        /// <summary>The session's run: it completes when the session is over.</summary>
        public Task Ended { get; }

        public static async Task<Session> StartAsync(CancellationToken cancellationToken, TimeSpan? streamCreationTimeout = null)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(listener.LocalEndpoint, cancellationToken);
            var server = await listener.AcceptSocketAsync(cancellationToken);
            return new Session(client, server, streamCreationTimeout, cancellationToken);
        }

        public static string Text(IEnumerable<SpdyFrame> frames, uint stream) =>
            string.Concat(frames.Where(f => f.Type == SpdyFrameType.Data && f.StreamId == stream).Select(f => Encoding.UTF8.GetString(f.Data.Span)));

        public Task OpenAsync(uint stream, string type, int port, string requestId) =>
            SendAsync(SpdyFrame.SynStream(stream, [new("streamtype", type), new("port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("requestid", requestId)]));

        public async Task SendAsync(SpdyFrame frame) => await _writer.WriteAsync(frame, _cancellationToken);

        public async Task SendRawAndEndAsync(byte[] bytes)
        {
            await _client.SendAsync(bytes, SocketFlags.None, _cancellationToken);
            _client.Shutdown(SocketShutdown.Send);
        }

        public async Task<List<SpdyFrame>> ReadAsync(int count)
        {
            var frames = new List<SpdyFrame>();
            while (frames.Count < count && await _reader.ReadAsync(_cancellationToken) is { } frame)
            {
                frames.Add(frame);
            }

            return frames;
        }

        /// <summary>Frames until each of <paramref name="streams"/> got a FIN from the session.</summary>
        public async Task<List<SpdyFrame>> ReadUntilEndedAsync(uint[] streams)
        {
            var frames = new List<SpdyFrame>();
            var open = streams.ToHashSet();
            while (open.Count > 0)
            {
                var frame = await _reader.ReadAsync(_cancellationToken) ?? throw new Xunit.Sdk.XunitException($"the session ended with streams {string.Join(", ", open)} open");
                frames.Add(frame);
                if (frame.IsFin && frame.Type == SpdyFrameType.Data)
                {
                    open.Remove(frame.StreamId);
                }
            }

            return frames;
        }

        public async Task<List<SpdyFrame>> ReadToEndAsync()
        {
            var frames = new List<SpdyFrame>();
            while (await _reader.ReadAsync(_cancellationToken) is { } frame)
            {
                frames.Add(frame);
                if (frame.Type == SpdyFrameType.GoAway)
                {
                    break;
                }
            }

            return frames;
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await Task.WhenAny(Ended, Task.Delay(TimeSpan.FromSeconds(5)));
            _server.Dispose();
            _forward.Dispose();
            _writer.Dispose();
        }

        private static async ValueTask<Socket> ConnectAsync(int port, CancellationToken cancellationToken)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }
}
