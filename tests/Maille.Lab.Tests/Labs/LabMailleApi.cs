using System.Text.Json.Nodes;
using Maille.Lab.Api;
using Maille.Lab.Labs;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

/// <summary>Reads of Maille's own API group (<c>/apis/maille.dev/v1alpha1/…</c>) on a live lab's socket.</summary>
internal static class LabMailleApi
{
    /// <summary>A GET of <c>/apis/maille.dev/v1alpha1/PATH</c>, which must answer 200.</summary>
    public static JsonNode Get(LiveLab lab, string path)
    {
        using var client = new LabApiClient(new LabState(lab.Name).ApiSocket);
        var (status, body) = client.SendAsync(HttpMethod.Get, $"/apis/{LabApiServer.MailleGroup}/{path}", null).GetAwaiter().GetResult();
        Assert.Equal(200, status);
        return body!;
    }
}
