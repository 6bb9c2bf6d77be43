using System.Globalization;
using System.Net;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// Requests made by a program in a pod, through <c>maille exec</c>: the program runs in the lab's cgroup, so in the
/// ebpf data plane its connects are translated by the socket hooks as any pod's are (a socket the test process makes
/// in the pod's namespace is not in that cgroup, and its ClusterIP connects would not be translated).
/// </summary>
internal static class PodCurl
{
    /// <summary>
    /// What <paramref name="count"/> GETs of <paramref name="path"/> answered, each on a new connection (one curl, URLs
    /// repeated, <c>Connection: close</c>), in order; a request that failed is not in the list.
    /// </summary>
    public static IReadOnlyList<string> Answers(LiveLab lab, string from, IPAddress to, int port, string path, int count)
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"http://{to}:{port}{path}");
        var run = lab.Exec(from, ["curl", "-s", "-m", "3", "-H", "Connection: close", "-w", "\\n", .. Enumerable.Repeat(url, count)]);
        return [.. run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
