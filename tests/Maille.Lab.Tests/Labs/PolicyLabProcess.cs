using System.Net;
using System.Text.Json.Nodes;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// A lab brought up with <c>./maille up</c> from inline manifests and taken down (namespaces and all) on dispose, even
/// when the test failed.
/// </summary>
internal sealed class PolicyLabProcess : IDisposable
{
    private readonly string file;

    private PolicyLabProcess(string name, string file)
    {
        Name = name;
        this.file = file;
    }

    public string Name { get; }

    public static PolicyLabProcess Up(string manifests)
    {
        var name = LiveLab.NewLabName();
        var file = Path.Combine(Path.GetTempPath(), $"{name}.yaml");
        File.WriteAllText(file, manifests);
        var lab = new PolicyLabProcess(name, file);
        try
        {
            var up = MailleProcess.Run("up", "-f", file, "--lab", name);
            Assert.True(up.ExitCode == 0, up.Stderr);
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    public IPAddress ClusterIP(string service, string ns = "default") =>
        IPAddress.Parse((string)JsonNode.Parse(MailleProcess.Run("get", "svc", service, "-n", ns, "--lab", Name, "-o", "json").Stdout)!["spec"]!["clusterIP"]!);

    public JsonNode TraceJson(string from, string to)
    {
        var trace = MailleProcess.Run("trace", "--lab", Name, "--from", from, "--to", to, "-o", "json");
        Assert.True(trace.ExitCode == 0, trace.Stderr);
        return JsonNode.Parse(trace.Stdout)!;
    }

    /// <summary>A GET of Maille's own API group (<c>/apis/maille.dev/v1alpha1/PATH</c>) on the lab's socket.</summary>
    public JsonNode Api(string path)
    {
        using var client = new Lab.Api.LabApiClient(new Lab.Labs.LabState(Name).ApiSocket);
        var (status, body) = client.SendAsync(HttpMethod.Get, $"/apis/{Lab.Api.LabApiServer.MailleGroup}/{path}", null).GetAwaiter().GetResult();
        Assert.Equal(200, status);
        return body!;
    }

    public void Dispose()
    {
        MailleProcess.Run("down", "--lab", Name);
        File.Delete(file);
    }
}
