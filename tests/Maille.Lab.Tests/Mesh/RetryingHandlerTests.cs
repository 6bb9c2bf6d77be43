using System.Net;
using Maille.Lab.Mesh;
using Maille.Model;

namespace Maille.Lab.Tests.Mesh;

/// <summary>The waypoint's retries (GEP-1731) under the forwarder, against a backend that answers from a script.</summary>
public sealed class RetryingHandlerTests
{
    /// <summary>Answers each attempt with the next status of the script (an exception: a connection that could not be made).</summary>
    private sealed class ScriptedBackend(params object[] script) : HttpMessageHandler
    {
        public int Attempts { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var step = script[Math.Min(Attempts++, script.Length - 1)];
            return step is HttpStatusCode status
                ? Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request })
                : throw new HttpRequestException(HttpRequestError.ConnectionError, "refused");
        }
    }

    private static async Task<(HttpStatusCode Status, int Attempts)> SendAsync(HttpRouteRetry? retry, params object[] script)
    {
        var backend = new ScriptedBackend(script);
        using var invoker = new HttpMessageInvoker(new RetryingHandler(TimeProvider.System) { InnerHandler = backend });
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://198.19.1.2:8080/fail");
        if (retry is not null)
        {
            request.Options.Set(RetryingHandler.Policy, retry);
        }

        using var response = await invoker.SendAsync(request, CancellationToken.None);
        return (response.StatusCode, backend.Attempts);
    }

    [Fact]
    public async Task A_listed_code_is_retried_until_an_answer_that_is_not()
    {
        var retry = new HttpRouteRetry { Codes = new([503]), Attempts = 2, Backoff = "1ms" };

        Assert.Equal((HttpStatusCode.OK, 2), await SendAsync(retry, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));
    }

    [Fact]
    public async Task Attempts_bound_the_retries_and_the_last_answer_is_the_clients()
    {
        var retry = new HttpRouteRetry { Codes = new([503]), Attempts = 2, Backoff = "1ms" };

        Assert.Equal((HttpStatusCode.ServiceUnavailable, 3), await SendAsync(retry, HttpStatusCode.ServiceUnavailable));
    }

    [Fact]
    public async Task A_code_not_listed_and_a_request_without_policy_are_not_retried()
    {
        var retry = new HttpRouteRetry { Codes = new([503]), Attempts = 2, Backoff = "1ms" };

        Assert.Equal((HttpStatusCode.BadGateway, 1), await SendAsync(retry, HttpStatusCode.BadGateway, HttpStatusCode.OK));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, 1), await SendAsync(null, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));
    }

    [Fact]
    public async Task A_connection_that_could_not_be_made_is_retried_and_unset_attempts_mean_two_retries()
    {
        var retry = new HttpRouteRetry { Backoff = "1ms" };

        Assert.Equal((HttpStatusCode.OK, 3), await SendAsync(retry, "refused", "refused", HttpStatusCode.OK));
        await Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(retry, "refused"));
    }
}
