namespace Maille.Model;

/// <summary>
/// The observed state of a pod. From a manifest these are what a <c>kubectl get -o yaml</c> dump carried
/// (null when absent); after planning they hold what the engine decided.
/// </summary>
public sealed record PodStatus
{
    public System.Net.IPAddress? PodIP { get; init; }

    public EquatableArray<System.Net.IPAddress> PodIPs { get; init; } = EquatableArray<System.Net.IPAddress>.Empty;

    public System.Net.IPAddress? HostIP { get; init; }

    /// <summary>The <c>Ready</c> condition; null when the input did not say.</summary>
    public bool? Ready { get; init; }

    public string? Phase { get; init; }
}
