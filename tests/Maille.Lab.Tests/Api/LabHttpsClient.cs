using System.Security.Cryptography.X509Certificates;
using Maille.Lab.Api;

namespace Maille.Lab.Tests.Api;

/// <summary>A client of a lab's HTTPS listener, as the tests reach it: trusting only the lab's authority, presenting the given client certificate (none: an anonymous caller).</summary>
internal static class LabHttpsClient
{
    /// <param name="port">The listener's port, to send relative paths to; null to give whole addresses.</param>
    public static HttpClient Create(X509Certificate2 authority, X509Certificate2? certificate, int? port = null, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, server, _, _) => server is X509Certificate2 presented && LabCredentials.ChainsTo(authority, presented);
        if (certificate is not null)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }

        return new HttpClient(handler)
        {
            BaseAddress = port is { } listening ? new Uri($"https://127.0.0.1:{listening}") : null,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
        };
    }
}
