using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Maille.Dataplane.Linux.Netns;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// Real HTTP clients (.NET's <see cref="SocketsHttpHandler"/>: HTTP/1.1, HTTP/2 by ALPN or prior knowledge, TLS,
/// WebSockets) whose every connection is a socket opened inside a lab network namespace (e.g. <c>external</c>) to one
/// address, whatever host the URL names: the URL's host only becomes the Host header and the TLS server name (SNI),
/// as with curl's <c>--resolve</c>. Server certificates are accepted (the lab's are self-signed) and recorded.
/// </summary>
internal sealed class NamespaceHttp(string networkNamespace, IPAddress address) : IDisposable
{
    private readonly NetworkNamespace _namespace = NetworkNamespace.Open(networkNamespace);
    private int _connections;

    /// <summary>TCP connections opened so far by the handlers of this instance.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>
    /// A handler with its own connection pool; <paramref name="certificates"/> receives each certificate a TLS server
    /// presents. The SNI is the request's host.
    /// </summary>
    public SocketsHttpHandler Handler(Action<X509Certificate2>? certificates = null) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint.Port, cancellationToken),
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                // The tests judge the certificate themselves (which one the controller chose), so any is accepted here.
                if (certificate is not null)
                {
                    certificates?.Invoke(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                }

                return certificate is not null;
            },
        },
    };

    /// <summary>One request on a fresh connection: status, protocol version, body, and the certificate presented (TLS).</summary>
    public async Task<Answer> GetAsync(string url, Version? version = null)
    {
        X509Certificate2? presented = null;
        using var client = new HttpClient(Handler(c => presented = c)) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url)
        {
            Version = version ?? HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);
        return new Answer((int)response.StatusCode, response.Version, await response.Content.ReadAsStringAsync(), presented);
    }

    /// <summary>
    /// <c>GET path</c> over TLS with <paramref name="serverName"/> as SNI and <paramref name="host"/> as Host header,
    /// which may differ (HttpClient always sends the Host header as SNI), on a connection of its own; HTTP/1.1.
    /// </summary>
    public async Task<Answer> GetOverTlsAsync(string serverName, string host, string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var tls = new SslStream(await ConnectAsync(443, timeout.Token));
        X509Certificate2? presented = null;
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return certificate is not null;
            },
        }, timeout.Token);
        await tls.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"), timeout.Token);
        using var reader = new StreamReader(tls);
        var answer = await reader.ReadToEndAsync(timeout.Token);
        var headerEnd = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return new Answer(int.Parse(answer.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture), HttpVersion.Version11, answer[(headerEnd + 4)..], presented);
    }

    public void Dispose() => _namespace.Dispose();

    private async ValueTask<Stream> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = _namespace.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
            Interlocked.Increment(ref _connections);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    internal sealed record Answer(int Status, Version Version, string Body, X509Certificate2? Certificate);
}
