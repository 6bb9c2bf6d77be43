using System.Net;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Probing;

namespace Maille.Lab.Tests.Labs;

/// <summary>What the privileged lab tests share: lab names, HTTP from a pod, bounded waiting.</summary>
internal static class LiveLab
{
    /// <summary>A fresh lab name, with a hyphen: every live test also checks that such names work end to end.</summary>
    public static string NewLabName() => "t-" + Guid.NewGuid().ToString("N")[..8];

    public static string HttpGet(string lab, string from, IPAddress to, int port, string path)
    {
        using var ns = NetworkNamespace.Open(LabNames.Pod(lab, from));
        var (status, body) = LabHttp.Get(ns, to, port, path, TimeSpan.FromSeconds(2));
        Assert.StartsWith("HTTP/1.1 200", status, StringComparison.Ordinal);
        return body;
    }

    /// <summary>Polls <paramref name="condition"/> for at most 15 s.</summary>
    public static bool WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(300);
        }

        return false;
    }

    /// <summary>Polls <paramref name="condition"/> for at most 15 s.</summary>
    public static async Task<bool> WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(300);
        }

        return false;
    }
}
