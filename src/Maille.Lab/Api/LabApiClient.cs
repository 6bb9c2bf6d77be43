using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Maille.Lab.Api;

/// <summary>Talks to a lab daemon's API over its Unix socket (what <c>maille apply/delete/label</c> and <c>node</c> use).</summary>
public sealed class LabApiClient(string socketPath) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = new Uri("http://lab"),
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>How long a request may take unless its caller says otherwise (a probe of a big lab takes longer).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Sends a request and returns the status code and the JSON answer.</summary>
    /// <exception cref="HttpRequestException">The daemon could not be reached.</exception>
    /// <param name="timeout">How long the request may take: <see cref="DefaultTimeout"/> unless given; <see cref="Timeout.InfiniteTimeSpan"/> for no limit but <paramref name="cancellationToken"/>.</param>
    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body, string contentType = "application/yaml", string? source = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? DefaultTimeout);
        cancellationToken = limit.Token;
        // Sent as written: System.Uri would otherwise resolve "..", "%2E%2E" and "." segments into another path.
        using var request = new HttpRequestMessage(method, new Uri("http://lab" + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        if (source is not null)
        {
            request.Headers.Add("X-Maille-Source", source);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>
    /// Reads a streamed answer (one JSON object per line, as <c>flows</c> sends) and hands each line to
    /// <paramref name="line"/> as it comes, until the daemon ends it or <paramref name="cancellationToken"/> does;
    /// returns the status and, when it is not 200, the Status object the daemon answered.
    /// </summary>
    public async Task<(int Status, JsonNode? Refusal)> StreamLinesAsync(string path, Action<string> line, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://lab" + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            if (text.Length > 0)
            {
                line(text);
            }
        }

        return (200, null);
    }

    public void Dispose() => _http.Dispose();
}
