using System.Net;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Probing;

namespace Maille.Lab.Tests.Labs;

/// <summary>HTTP from inside a live lab's pod, as the pod's own programs would send it.</summary>
internal static class PodHttp
{
    /// <summary>GET <paramref name="path"/> from pod <paramref name="from"/> of <paramref name="lab"/>; the answer must be 200, its body is returned.</summary>
    public static string Get(string lab, string from, IPAddress to, int port, string path)
    {
        using var ns = NetworkNamespace.Open(LabNames.Pod(lab, from));
        var (status, body) = LabHttp.Get(ns, to, port, path, TimeSpan.FromSeconds(2));
        Assert.StartsWith("HTTP/1.1 200", status, StringComparison.Ordinal);
        return body;
    }
}
