using Maille.TestKit;
using static Maille.TestKit.ConformanceRequests;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// How a draw by weight over real traffic is judged (<see cref="ConformanceProbe.DrawMismatch"/>, used by the live and
/// the loopback conformance tests): within five standard deviations of each share, and nothing from weight 0.
/// </summary>
public sealed class ConformanceDrawTests
{
    private static readonly ConformanceProbe Draw = new("same-namespace", Get("/"), "") { Weights = [("v1", 70), ("v2", 30), ("v3", 0)] };

    private static string[] Outcomes(int v1, int v2, int v3 = 0) => [.. Enumerable.Repeat("v1", v1), .. Enumerable.Repeat("v2", v2), .. Enumerable.Repeat("v3", v3)];

    [Fact]
    public void Counts_near_the_weights_pass()
    {
        Assert.Null(Draw.DrawMismatch(Outcomes(70, 30)));
        Assert.Null(Draw.DrawMismatch(Outcomes(76, 24)));
    }

    [Fact]
    public void One_backend_taking_everything_fails_and_says_what_was_drawn()
    {
        var mismatch = Draw.DrawMismatch(Outcomes(100, 0));

        Assert.Equal("GET http://example.com/ on same-namespace: drew v1 100 of 100, out of proportion for v1, v2", mismatch);
    }

    [Fact]
    public void A_single_answer_from_weight_0_or_an_error_fails()
    {
        Assert.Contains("out of proportion for v3", Draw.DrawMismatch(Outcomes(70, 29, 1)), StringComparison.Ordinal);
        Assert.Contains("out of proportion for 503", Draw.DrawMismatch([.. Outcomes(70, 29), "503"]), StringComparison.Ordinal);
    }
}
