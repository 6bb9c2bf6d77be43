using System.Net;

namespace Maille.Lab.Observe;

/// <summary>
/// Which flows <c>maille observe</c> shows. <c>--from</c> and <c>--to</c> each take a pod (<c>NS/NAME</c>, or
/// <c>NAME</c> in <c>default</c>), a whole namespace (<c>NS/</c>) or an address; <c>--to</c> also matches the Service
/// the client addressed. <c>--verdict</c> is <c>allowed</c>, <c>dropped</c> or <c>all</c>. Losses always pass: they
/// say what every filter may have missed.
/// </summary>
public sealed record FlowFilter(string? From, string? To, string Verdict = "all")
{
    public static bool IsVerdict(string verdict) => verdict is "allowed" or "dropped" or "all";

    public bool Matches(FlowEvent item) => item is not FlowRecord flow || (
        (Verdict == "all" || flow.Verdict == Verdict)
        && (From is null || Selects(From, flow.From, flow.FromAddress))
        && (To is null || Selects(To, flow.To, flow.ToAddress) || (flow.Service is not null && Selects(To, flow.Service, flow.ServiceAddress))));

    private static bool Selects(string selector, string? name, IPAddress? address)
    {
        if (IPAddress.TryParse(selector, out var wanted))
        {
            return wanted.Equals(address);
        }

        if (name is null)
        {
            return false;
        }

        return selector.EndsWith('/')
            ? name.StartsWith(selector, StringComparison.Ordinal)
            : name == (selector.Contains('/', StringComparison.Ordinal) ? selector : "default/" + selector);
    }
}
