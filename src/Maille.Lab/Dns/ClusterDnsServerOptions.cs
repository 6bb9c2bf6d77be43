namespace Maille.Lab.Dns;

/// <summary>Settings of the cluster DNS server. The defaults follow CoreDNS where it has one.</summary>
public sealed class ClusterDnsServerOptions
{
    /// <summary>
    /// The largest UDP response sent to a client that advertises EDNS (RFC 6891); beyond it the answer is truncated and
    /// the client asks again over TCP. 1232 bytes fits any path without IP fragmentation (the 2020 DNS flag day value).
    /// Without EDNS the limit is 512 bytes.
    /// </summary>
    public ushort MaxUdpResponseSize { get; set; } = 1232;

    /// <summary>Queries received but not yet answered, across all sockets of a protocol; UDP queries beyond it are dropped (the client retries).</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>How long an open TCP connection may wait for its next query before it is closed (CoreDNS: 10 s).</summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one TCP query may take to arrive once its length has been read.</summary>
    public TimeSpan TcpReadTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every problem with these settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxUdpResponseSize < 512)
        {
            errors.Add($"{nameof(MaxUdpResponseSize)} must be at least 512, not {MaxUdpResponseSize}.");
        }

        if (QueueCapacity < 1)
        {
            errors.Add($"{nameof(QueueCapacity)} must be at least 1, not {QueueCapacity}.");
        }

        if (TcpIdleTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(TcpIdleTimeout)} must be positive, not {TcpIdleTimeout}.");
        }

        if (TcpReadTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(TcpReadTimeout)} must be positive, not {TcpReadTimeout}.");
        }

        return errors;
    }
}
