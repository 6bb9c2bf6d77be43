using System.Globalization;
using System.Net;

namespace Maille.TestKit;

/// <summary>
/// A GRPCRoute conformance probe sent as a real gRPC call: HTTP/2 with prior knowledge (h2c), POST, <c>application/grpc</c>,
/// one empty message, the probe's metadata as headers. Backends answer with grpc-status 0 and their pod's name in
/// grpc-message (the lab's pod server does; so do the loopback backends), which tells which backend answered.
/// </summary>
public static class GrpcConformanceCall
{
    /// <summary>The backend Service whose pod answered with grpc-status 0, else the HTTP status (404 when no rule took the call).</summary>
    public static async Task<string> SendAsync(HttpClient client, ConformanceProbe probe)
    {
        using var call = new HttpRequestMessage(HttpMethod.Post, $"http://{probe.Request.Host}{probe.Request.Path}")
        {
            Content = new ByteArrayContent(new byte[5]), // one empty message: no compression, length 0
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        call.Content.Headers.ContentType = new("application/grpc");
        foreach (var (name, value) in probe.Request.Headers.Where(h => h.Key != "content-type"))
        {
            call.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(call);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == HttpStatusCode.OK && response.TrailingHeaders.TryGetValues("grpc-status", out var status) && status.Single() == "0"
            ? ConformanceRequests.ServiceOfPod(response.TrailingHeaders.GetValues("grpc-message").Single())
            : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
    }
}
