using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Maille.TestKit;
using Xunit.Abstractions;
using static Maille.TestKit.GatewayWorld;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// The HTTP core conformance tests live (issue 17), each a case of <see cref="HttpCoreConformance"/>, the table the
/// engine's HttpCoreConformanceTests check too, run upstream-style in one lab that has the suite's base
/// (<see cref="GatewayConformanceLabFixture"/>), which the GRPCRoute core cases share (LabGatewayConformanceTests.Grpc.cs): the case's objects are applied with <c>kubectl apply</c>, its statuses
/// read back with <c>kubectl get -o json</c> until they say what the table says, its requests sent as packets from
/// the lab's <c>external</c> namespace to the Gateway's LoadBalancer address (through the node agents' rules to the
/// Gateway's proxy pod and on to the backends' pods, whose server names the pod that answered), and its objects deleted.
/// The API and the proxies converge in their own time, so, as the suite does, each request is repeated until it is
/// answered as expected three times in a row (bounded; every attempt is in the test's output); requests to error
/// statuses are sent only once the case's requests that reach a backend are answered right, so a 404 is never taken
/// from a proxy that has not loaded the case's routes yet. IP plan: the lab's defaults (198.18.0.0/15; LoadBalancer
/// addresses from the lab's pool).
/// </summary>
public sealed partial class LabGatewayConformanceTests(GatewayConformanceLabFixture fixture, ITestOutputHelper output) : IClassFixture<GatewayConformanceLabFixture>
{
    private const int InARow = 3;
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Cases => [.. HttpCoreConformance.All.Select(c => c.Name)];

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task An_HTTP_core_conformance_case_is_answered_live_as_the_shared_table_says(string test) =>
        RunAsync(HttpCoreConformance.Named(test), SendHttpAsync);

    /// <summary>
    /// Applies <paramref name="conformance"/>'s objects, waits for its statuses, checks each of its probes (sent by
    /// <paramref name="send"/>) through its Gateway's LoadBalancer address, applies its second step, and deletes its objects.
    /// </summary>
    private async Task RunAsync(ConformanceCase conformance, Func<HttpClient, ConformanceProbe, Task<ProbeAnswer>> send)
    {
        var test = conformance.Name;
        var lab = fixture.Lab;
        var kubectl = new Kubectl(lab, output);
        var file = lab.File(test.Replace('(', '-').Replace(")", "", StringComparison.Ordinal) + ".yaml", conformance.ObjectsYaml);
        var clock = Stopwatch.StartNew();
        kubectl.Succeed("apply", "-f", file);
        try
        {
            var statuses = Poll.Until("the statuses say what the table says", () => StatusMismatches(kubectl, conformance.Statuses), m => m.Count == 0, output, Converge);
            Assert.True(statuses.Met, $"{statuses}\n{string.Join('\n', statuses.Last)}");

            var failures = new List<string>();
            foreach (var gateway in conformance.Probes.Select(p => p.Gateway).Distinct())
            {
                var address = Poll.Until($"Gateway {gateway} has an address", () => kubectl.Succeed("get", "gateway", gateway, "-n", Infra, "-o", "jsonpath={.status.addresses[0].value}"), a => a.Length > 0, output, TimeSpan.FromSeconds(60));
                Assert.True(address.Met, address.ToString());
                using var http = fixture.From(IPAddress.Parse(address.Last));
                using var client = new HttpClient(http.Handler()) { Timeout = TimeSpan.FromSeconds(10) };
                var probes = conformance.Probes.Where(p => p.Gateway == gateway).ToList();
                failures.AddRange(await Task.WhenAll(probes.Where(p => p.ReachesBackend).Select(p => CheckAsync(client, p, send))));
                failures.AddRange(await Task.WhenAll(probes.Where(p => !p.ReachesBackend).Select(p => CheckAsync(client, p, send))));
            }

            if (conformance.Change is not null)
            {
                var change = lab.File(Path.GetFileName(file).Replace(".yaml", "-change.yaml", StringComparison.Ordinal), conformance.ChangeYaml);
                kubectl.Succeed("apply", "-f", change);
                var changed = Poll.Until("after the change, the statuses say what the table says", () => StatusMismatches(kubectl, conformance.ChangedStatuses), m => m.Count == 0, output, Converge);
                Assert.True(changed.Met, $"{changed}\n{string.Join('\n', changed.Last)}");
            }

            output.WriteLine($"{test}: {conformance.Probes.Length} requests and {conformance.Statuses.Length + conformance.ChangedStatuses.Length} statuses as the table says in {clock.Elapsed.TotalSeconds:F1} s");
            Assert.True(failures.All(f => f.Length == 0), string.Join('\n', failures.Where(f => f.Length > 0)));
        }
        finally
        {
            kubectl.Succeed("delete", "-f", file, "--ignore-not-found"); // the second step's objects replace the first's, so this removes them too
        }
    }

    /// <summary>Each expected status that the API does not show (yet), with what it shows.</summary>
    private static List<string> StatusMismatches(Kubectl kubectl, IEnumerable<ExpectedStatus> statuses)
    {
        var mismatches = new List<string>();
        foreach (var group in statuses.GroupBy(s => (s.Kind, s.QualifiedName)))
        {
            // A cluster-scoped object (a GatewayClass) is named alone.
            string[] where = group.Key.QualifiedName.Split('/') is [var ns, var name] ? [name, "-n", ns] : [group.Key.QualifiedName];
            var (exit, json, error) = kubectl.Run(["get", group.Key.Kind.ToLowerInvariant(), .. where, "-o", "json"]);
            var shown = exit == 0 ? JsonNode.Parse(json)! : null;
            mismatches.AddRange(group.Where(s => shown is null || !s.Holds(shown)).Select(s => $"{s}: the API shows {(shown is null ? error.Trim() : s.Actual(shown) ?? "nothing")}"));
        }

        return mismatches;
    }

    /// <summary>Sends <paramref name="probe"/> until it is answered as expected <see cref="InARow"/> times in a row; empty when it was, else why not.</summary>
    private async Task<string> CheckAsync(HttpClient client, ConformanceProbe probe, Func<HttpClient, ConformanceProbe, Task<ProbeAnswer>> send)
    {
        if (probe.Weights is { } weights)
        {
            return await CheckWeightsAsync(client, probe, weights.Where(w => w.Weight > 0).Select(w => w.Backend).ToHashSet(), send);
        }

        var expected = Describe(probe.Expected, probe.Location);
        var answered = await Poll.UntilAsync($"{probe} is answered {expected} {InARow} times in a row", async () =>
        {
            var answers = new List<string>();
            for (var i = 0; i < InARow; i++)
            {
                var (outcome, location, headers) = await send(client, probe);
                var mismatch = outcome == probe.Expected && probe.BackendHeaders.Count > 0 ? probe.HeadersMismatch(headers) : null;
                answers.Add(Describe(outcome, probe.Location is null ? null : location) + (mismatch is null ? "" : $" ({mismatch})"));
            }

            return string.Join(", ", answers);
        }, answers => answers == string.Join(", ", Enumerable.Repeat(expected, InARow)), output, Converge);
        return answered.Met ? "" : $"{probe}: expected {expected}; {answered}";
    }

    /// <summary>
    /// Once the route answers from one of the weighted backends, 100 requests: each backend within five standard
    /// deviations of its share, and one of weight 0 never.
    /// </summary>
    private async Task<string> CheckWeightsAsync(HttpClient client, ConformanceProbe probe, HashSet<string> drawn, Func<HttpClient, ConformanceProbe, Task<ProbeAnswer>> send)
    {
        var loaded = await Poll.UntilAsync($"{probe} reaches a weighted backend", async () => (await send(client, probe)).Outcome, drawn.Contains, output, Converge);
        if (!loaded.Met)
        {
            return $"{probe}: {loaded}";
        }

        const int Requests = 100;
        var outcomes = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            outcomes.Add((await send(client, probe)).Outcome);
        }

        output.WriteLine($"{probe}: drew {ConformanceProbe.Drawn(outcomes)}");
        return probe.DrawMismatch(outcomes) ?? "";
    }

    /// <summary>One request: the backend Service whose pod answered 200, else the status; the Location; the headers the backend received.</summary>
    private static async Task<ProbeAnswer> SendHttpAsync(HttpClient client, ConformanceProbe probe)
    {
        var request = probe.Request;
        var host = request.Host.Split(':')[0];
        var query = request.Query.Length > 0 ? "?" + request.Query : "";
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), $"{request.Scheme}://{host}{request.Path}{query}");
        message.Headers.Host = request.Host; // with its port when the probe gives one, as the suite's very.specific.com:1234
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await client.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), response.Headers.Location?.ToString(), new Dictionary<string, string>());
            }

            var described = JsonNode.Parse(body)!;
            var received = described["headers"]!.AsObject().ToDictionary(h => h.Key, h => (string?)h.Value ?? "");
            return new(ConformanceRequests.ServiceOfPod((string)described["pod"]!), response.Headers.Location?.ToString(), received);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return NoAnswer(e);
        }
    }

    private static ProbeAnswer NoAnswer(Exception e) => new($"no answer ({e.Message})", null, new Dictionary<string, string>());

    private static string Describe(string outcome, string? location) => location is null ? outcome : $"{outcome} to {location}";

    /// <summary>How a probe was answered: the backend Service or the status, the Location, the headers the backend received.</summary>
    private sealed record ProbeAnswer(string Outcome, string? Location, IReadOnlyDictionary<string, string> Headers);
}
