namespace Maille.Model;

/// <summary>One entry of <c>spec.ports</c>. <see cref="NodePort"/> is filled by allocation where the type needs one.</summary>
public sealed record ServicePort
{
    public string? Name { get; init; }

    public Protocol Protocol { get; init; } = Protocol.TCP;

    public required int Port { get; init; }

    /// <summary>Defaults to <see cref="Port"/> when the input leaves it out.</summary>
    public required PortRef TargetPort { get; init; }

    public int? NodePort { get; init; }

    public string? AppProtocol { get; init; }

    /// <summary>kubectl's PORT(S) form: <c>80/TCP</c> or <c>80:30080/TCP</c>.</summary>
    public override string ToString() => NodePort is { } node ? $"{Port}:{node}/{Protocol}" : $"{Port}/{Protocol}";
}
