namespace Maille.Model;

/// <summary>The RequestMirror filter: a copy of the request to another backend, for a percent or fraction of requests (all when neither is set).</summary>
public sealed record HttpRequestMirror
{
    public required GatewayBackendRef BackendRef { get; init; }

    public int? Percent { get; init; }

    public int? FractionNumerator { get; init; }

    public int FractionDenominator { get; init; } = 100;
}
