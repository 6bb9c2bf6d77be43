using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Maille.Lab.Mesh;

/// <summary>
/// A tunnel's stream as a Kestrel connection: its bytes are the connection's, its ends are the tunnel's peers. Kestrel
/// disposes it when it is done with it, which completes <see cref="Done"/>: the tunnel may then end.
/// </summary>
internal sealed class TunnelConnection : DefaultConnectionContext
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TunnelConnection(string id, Stream stream, IFeatureCollection features, EndPoint local, EndPoint remote)
        : base(id, new Pipe(stream), null!)
    {
        LocalEndPoint = local;
        RemoteEndPoint = remote;
        foreach (var (type, feature) in features)
        {
            Features[type] = feature;
        }
    }

    public Task Done => _done.Task;

    public override async ValueTask DisposeAsync()
    {
        await Transport.Input.CompleteAsync().ConfigureAwait(false);
        await Transport.Output.CompleteAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
        _done.TrySetResult();
    }

    /// <summary>Reads and writes the tunnel's stream; the stream stays the tunnel's to close.</summary>
    private sealed class Pipe(Stream stream) : IDuplexPipe
    {
        public PipeReader Input { get; } = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));

        public PipeWriter Output { get; } = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
    }
}
