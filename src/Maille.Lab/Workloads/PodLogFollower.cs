using System.Threading.Channels;

namespace Maille.Lab.Workloads;

/// <summary>The lines written to a log after it was read (<c>kubectl logs -f</c>); dispose to stop following.</summary>
public sealed class PodLogFollower(ChannelReader<PodLogLine> lines, Action stop) : IDisposable
{
    public ChannelReader<PodLogLine> Lines => lines;

    public void Dispose() => stop();
}
