using Maille.Model;
using Maille.TestKit;
using static Maille.TestKit.ConformanceRequests;
using static Maille.TestKit.GatewayWorld;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// An HTTPRoute rule's <c>retry</c> (GEP-1731, experimental channel) travels with the decision of the requests it
/// matches, for the proxy to carry out; a rule without one has none.
/// </summary>
public sealed class RouteRetryTests
{
    [Fact]
    public void The_matched_rules_retry_policy_is_in_the_decision_and_another_rules_absence_too()
    {
        var table = Conformance().Route(Route.Http("retrying").Parent("same-namespace")
            .Rule(RouteRule.Prefix("/flaky").To("infra-backend-v1").Retry("{codes: [502, 503], attempts: 3, backoff: 50ms}"))
            .Rule(RouteRule.Prefix("/").To("infra-backend-v2"))).Table();

        var retried = table.Match(Get("/flaky/x"));
        var plain = table.Match(Get("/other"));

        Assert.Equal(new HttpRouteRetry { Codes = new([502, 503]), Attempts = 3, Backoff = "50ms" }, retried.Retry);
        Assert.Equal(200, retried.Status);
        Assert.Null(plain.Retry);
    }
}
