using System.Text.Json;
using Maille.Lab.Api;
using Maille.Lab.Labs;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// The API survives 10,000 fuzzed requests (<see cref="ApiFuzzCorpus"/>) on a live lab: each gets a 4xx answer with a
/// <c>Status</c> object, the lab's resource version does not move (nothing changed), and the daemon still answers.
/// </summary>
public sealed class LabApiFuzzTests(ITestOutputHelper output)
{
    private const int Requests = 10_000;

    [SkippableFact]
    public async Task TenThousandMalformedRequests_EachGetA4xxStatus_AndNothingChanges()
    {
        Privileged.Require();
        using var lab = LiveLab.Create(output);
        var up = lab.Run("up", "-f", PlaygroundScenario.PodsFile);
        Assert.True(up.ExitCode == 0, up.Stderr);
        using var api = new LabApiClient(new LabState(lab.Name).ApiSocket);
        var before = await Version(api);
        var corpus = new ApiFuzzCorpus(seed: 15);
        var failures = new List<string>();
        var codes = new SortedDictionary<int, int>();
        using var gate = new SemaphoreSlim(8);
        var requests = Enumerable.Range(0, Requests).Select(_ => corpus.Next()).ToList();
        await Task.WhenAll(requests.Select(async (r, i) =>
        {
            await gate.WaitAsync();
            try
            {
                var (code, body) = await api.SendAsync(r.Method, r.Path, r.Body, r.ContentType);
                lock (codes)
                {
                    codes[code] = codes.GetValueOrDefault(code) + 1;
                    // Kestrel itself refuses a NUL in the request target before any of the API's code runs:
                    // a bare 400 there is a refusal too, the one kind that cannot carry a Status.
                    var bareRefusal = code == 400 && body is null && r.Path.Contains("%00", StringComparison.Ordinal);
                    if (!bareRefusal && (code is < 400 or >= 500 || (string?)body?["kind"] != "Status"))
                    {
                        var answer = body?.ToJsonString() ?? "(no body)";
                        failures.Add($"#{i} {r.Method} {r.Path} ({r.Body?.Length ?? 0} bytes of {r.ContentType}): {code} {answer[..Math.Min(200, answer.Length)]}");
                    }
                }
            }
            catch (HttpRequestException) when (r.Path.Contains("%00", StringComparison.Ordinal))
            {
                // Kestrel refused the request line and closed the connection while the body was still being sent.
            }
            catch (Exception e) when (e is JsonException or HttpRequestException)
            {
                lock (codes)
                {
                    failures.Add($"#{i} {r.Method} {r.Path}: {e.GetType().Name}: {e.Message}");
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        output.WriteLine("answers by code: " + string.Join(", ", codes.Select(c => $"{c.Key}: {c.Value}")));
        Assert.True(failures.Count == 0, $"{failures.Count} of {Requests} requests were not refused with a 4xx Status:\n"
            + string.Join("\n", failures.GroupBy(f => f[(f.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(' ')[0]).SelectMany(g => g.Take(4))));
        Assert.Equal(before, await Version(api));
        Assert.True(new LabState(lab.Name).DaemonAlive());
    }

    private static async Task<string> Version(LabApiClient api)
    {
        var (code, pods) = await api.SendAsync(HttpMethod.Get, "/api/v1/pods", null);
        Assert.Equal(200, code);
        return (string)pods!["metadata"]!["resourceVersion"]!;
    }
}
