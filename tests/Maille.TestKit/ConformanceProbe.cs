using Maille.Engine.Gateways;

namespace Maille.TestKit;

/// <summary>
/// One request of a <see cref="ConformanceCase"/> to Gateway <see cref="Gateway"/> (in gateway-conformance-infra) and
/// how it must be answered: <see cref="Expected"/> is the backend Service that answers 200 or the status code, with
/// <see cref="Location"/> for a redirect; or, when <see cref="Weights"/> is set, the backends are drawn in those
/// proportions (a weight of 0 is never drawn).
/// </summary>
public sealed record ConformanceProbe(string Gateway, GatewayRequest Request, string Expected)
{
    public string? Location { get; init; }

    public IReadOnlyList<(string Backend, int Weight)>? Weights { get; init; }

    /// <summary>Headers the backend must receive with these values, or (a null value) must not receive.</summary>
    public IReadOnlyList<(string Name, string? Value)> BackendHeaders { get; init; } = [];

    /// <summary>
    /// Null when <paramref name="received"/> (the headers the backend received) has each of <see cref="BackendHeaders"/>
    /// as expected, else what differs. Names compare without case; values as comma-separated lists, since a header
    /// sent twice reaches a server as one value joined by commas.
    /// </summary>
    public string? HeadersMismatch(IReadOnlyDictionary<string, string> received)
    {
        static string Normal(string value) => string.Join(",", value.Split(',').Select(v => v.Trim()));
        var byName = received.ToDictionary(h => h.Key.ToLowerInvariant(), h => Normal(h.Value));
        var wrong = BackendHeaders
            .Where(h => byName.GetValueOrDefault(h.Name.ToLowerInvariant()) != (h.Value is null ? null : Normal(h.Value)))
            .Select(h => $"{h.Name}: {byName.GetValueOrDefault(h.Name.ToLowerInvariant()) ?? "absent"}, not {h.Value ?? "absent"}")
            .ToList();
        return wrong.Count == 0 ? null : "headers at the backend " + string.Join("; ", wrong);
    }

    /// <summary>True when the request reaches a backend (not an error status, a redirect or a draw).</summary>
    public bool ReachesBackend => Weights is null && !int.TryParse(Expected, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>
    /// For a draw by <see cref="Weights"/> over real traffic: null when each backend's count among
    /// <paramref name="outcomes"/> is within five standard deviations of its share and nothing else answered (so one of
    /// weight 0 never did), else what was drawn and which backends are out of proportion.
    /// </summary>
    public string? DrawMismatch(IReadOnlyCollection<string> outcomes)
    {
        var weights = Weights ?? throw new InvalidOperationException($"{this} is not a draw by weight");
        var total = (double)weights.Sum(w => w.Weight);
        var counts = outcomes.GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        var wrong = weights.Where(w =>
            {
                var share = w.Weight / total;
                return Math.Abs(counts.GetValueOrDefault(w.Backend) - (outcomes.Count * share)) > 5 * Math.Sqrt(outcomes.Count * share * (1 - share));
            })
            .Select(w => w.Backend)
            .Concat(counts.Keys.Where(k => !weights.Any(w => w.Backend == k)))
            .ToList();
        return wrong.Count == 0 ? null : $"{this}: drew {Drawn(outcomes)}, out of proportion for {string.Join(", ", wrong)}";
    }

    /// <summary>How many of <paramref name="outcomes"/> each backend (or status) answered.</summary>
    public static string Drawn(IReadOnlyCollection<string> outcomes) =>
        string.Join(", ", outcomes.GroupBy(o => o).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")) + $" of {outcomes.Count}";

    public override string ToString() =>
        $"{Request.Method} {Request.Scheme}://{Request.Host}{Request.Path}{(Request.Query.Length > 0 ? "?" + Request.Query : "")}"
        + $"{string.Concat(Request.Headers.Where(h => h.Key != "content-type").Select(h => $" [{h.Key}: {h.Value}]"))} on {Gateway}";
}
