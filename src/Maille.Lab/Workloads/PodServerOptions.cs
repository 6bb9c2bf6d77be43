namespace Maille.Lab.Workloads;

/// <summary>
/// Settings of the built-in pod server. The defaults suit many pods with few, small, short connections each:
/// small buffers, short idle timeouts, HTTP/1.1 only.
/// </summary>
public sealed class PodServerOptions
{
    /// <summary>Accepted connections waiting for Kestrel; when full, accepting pauses and the kernel backlog fills.</summary>
    public int AcceptQueueCapacity { get; set; } = 512;

    /// <summary>Open connections across all pods; beyond it Kestrel closes new connections at once.</summary>
    public long? MaxConcurrentConnections { get; set; } = 20_000;

    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    /// <summary>The endpoints never read a body; a larger one ends the connection instead of being drained.</summary>
    public long MaxRequestBodySize { get; set; } = 64 * 1024;

    /// <summary>Bytes buffered per connection before reading pauses.</summary>
    public long MaxReadBufferSize { get; set; } = 64 * 1024;

    /// <summary>Receive buffer of each UDP port; longer datagrams are truncated, which does not matter for the reply.</summary>
    public int UdpReceiveBufferSize { get; set; } = 2048;

    /// <summary>Pause after an accept fails for a reason other than the peer (out of descriptors, say).</summary>
    public TimeSpan AcceptRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long <see cref="PodServerHost.DisposeAsync"/> lets open connections finish before aborting them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Every problem with these settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (AcceptQueueCapacity < 1)
        {
            errors.Add($"{nameof(AcceptQueueCapacity)} must be at least 1, not {AcceptQueueCapacity}.");
        }

        if (MaxConcurrentConnections is < 1)
        {
            errors.Add($"{nameof(MaxConcurrentConnections)} must be at least 1 or unset, not {MaxConcurrentConnections}.");
        }

        if (KeepAliveTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(KeepAliveTimeout)} must be positive, not {KeepAliveTimeout}.");
        }

        if (RequestHeadersTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(RequestHeadersTimeout)} must be positive, not {RequestHeadersTimeout}.");
        }

        if (MaxRequestHeadersTotalSize < 1024)
        {
            errors.Add($"{nameof(MaxRequestHeadersTotalSize)} must be at least 1024, not {MaxRequestHeadersTotalSize}.");
        }

        if (MaxRequestBodySize < 0)
        {
            errors.Add($"{nameof(MaxRequestBodySize)} must not be negative, not {MaxRequestBodySize}.");
        }

        if (MaxReadBufferSize < 4096)
        {
            errors.Add($"{nameof(MaxReadBufferSize)} must be at least 4096, not {MaxReadBufferSize}.");
        }

        if (UdpReceiveBufferSize < 1)
        {
            errors.Add($"{nameof(UdpReceiveBufferSize)} must be at least 1, not {UdpReceiveBufferSize}.");
        }

        if (AcceptRetryDelay < TimeSpan.Zero)
        {
            errors.Add($"{nameof(AcceptRetryDelay)} must not be negative, not {AcceptRetryDelay}.");
        }

        if (ShutdownTimeout < TimeSpan.Zero)
        {
            errors.Add($"{nameof(ShutdownTimeout)} must not be negative, not {ShutdownTimeout}.");
        }

        return errors;
    }
}
