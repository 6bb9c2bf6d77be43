using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Maille.Lab.Api;
using Maille.Lab.Labs;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// The API survives 10,000 fuzzed requests (<see cref="ApiFuzzCorpus"/>) on a live lab: each gets a 4xx answer with a
/// <c>Status</c> object, the lab's resource version does not move (nothing changed), and the daemon still answers.
/// Half go over the HTTPS listener with the admin's client certificate (what kubectl and every other tool reach), half
/// over root's Unix socket, alternately.
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
        using var https = Https(lab.Name);
        var before = await LabObjectVersions.ReadAsync(api);
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
                var (code, body) = i % 2 == 0 ? await SendAsync(https, r) : await api.SendAsync(r.Method, r.Path, r.Body, r.ContentType);
                lock (codes)
                {
                    codes[code] = codes.GetValueOrDefault(code) + 1;
                    // Kestrel itself refuses a NUL in the request target before any of the API's code runs:
                    // a bare 400 there is a refusal too, the one kind that cannot carry a Status.
                    var bareRefusal = code == 400 && body is null && r.Path.Contains("%00", StringComparison.Ordinal);
                    if (!bareRefusal && (code is < 400 or >= 500 || (string?)body?["kind"] != "Status"))
                    {
                        var answer = body?.ToJsonString() ?? "(no body)";
                        failures.Add($"#{i} {r.Method} {r.Path} ({r.Body?.Length ?? 0} bytes of {r.ContentType}, {(i % 2 == 0 ? "HTTPS" : "socket")}): {code} {answer[..Math.Min(200, answer.Length)]}");
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
        Assert.Equal(before, await LabObjectVersions.ReadAsync(api));
        Assert.True(new LabState(lab.Name).DaemonAlive());
    }

    /// <summary>A client of the lab's HTTPS listener with the admin's certificate, trusting only the lab's authority.</summary>
    private static HttpClient Https(string lab)
    {
        var state = Path.Combine("/run/maille", lab);
        var port = (int)JsonNode.Parse(File.ReadAllText(Path.Combine(state, "status.json")))!["apiPort"]!;
        var authority = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(state, "pki", "ca.crt")));
        var admin = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(state, "pki", "admin.crt")), File.ReadAllText(Path.Combine(state, "pki", "admin.key")));
        return LabHttpsClient.Create(authority, admin, port, TimeSpan.FromMinutes(1));
    }

    /// <summary>Sends one fuzzed request as written (no path canonicalization); the answer's code and JSON body.</summary>
    private static async Task<(int Status, JsonNode? Body)> SendAsync(HttpClient https, (HttpMethod Method, string Path, string? Body, string ContentType) r)
    {
        using var request = new HttpRequestMessage(r.Method, new Uri(https.BaseAddress + r.Path.TrimStart('/'), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        if (r.Body is not null)
        {
            request.Content = new StringContent(r.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(r.ContentType);
        }

        using var response = await https.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
