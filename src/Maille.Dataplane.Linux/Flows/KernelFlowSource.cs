namespace Maille.Dataplane.Linux.Flows;

/// <summary>Which kernel feed an event or a loss comes from.</summary>
public enum KernelFlowSource
{
    /// <summary>ctnetlink's new-connection events.</summary>
    Conntrack,

    /// <summary>nfnetlink_log: the packets the policy table's denying rules log.</summary>
    Nflog,

    /// <summary>The ebpf data plane's <c>denials</c> ring buffer: the first packets its tc programs denied.</summary>
    Ringbuf,
}
