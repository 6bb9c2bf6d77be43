using System.Net;
using Maille.Engine;
using Maille.Engine.Trace;

namespace Maille.Kube.Views;

/// <summary>
/// <c>maille trace --from SOURCE --to TARGET</c> over a planned cluster: the engine's hops as sentences or JSON. On a
/// running lab its daemon adds what the live rules say (a live walk), from the same plan.
/// </summary>
public static class TraceView
{
    /// <param name="live">The live walk of the connection and how to print it, or null offline.</param>
    public static int Write(ClusterState cluster, string from, string to, bool json, LiveWalk? live, TextWriter stdout, TextWriter stderr)
    {
        TraceSource source;
        if (from == "external" || from.StartsWith("external:", StringComparison.Ordinal))
        {
            var address = Tracer.DefaultExternalAddress(cluster.Config);
            if (from.Length > "external".Length && !IPAddress.TryParse(from["external:".Length..], out address))
            {
                stderr.WriteLine($"error: --from {from}: expected external:IP, e.g. external:198.18.0.2");
                return 1;
            }

            source = new TraceSource(null, address);
        }
        else if (cluster.PodsByName.TryGetValue(from, out var pod) && pod.Status.PodIP is { } podIP)
        {
            source = new TraceSource(pod, podIP);
        }
        else
        {
            stderr.WriteLine($"error: --from {from}: no such pod with an address (expected NS/POD, external or external:IP; `maille get pods -A -f …` lists pods)");
            return 1;
        }

        var target = TraceTarget.TryParse(to, cluster.Config.DnsDomain, out var error, source.Pod?.Namespace);
        if (target is null)
        {
            stderr.WriteLine($"error: --to {error}");
            return 1;
        }

        var result = Tracer.For(cluster).Trace(source, target);
        var walked = live?.Walk(source, target, result);
        if (json)
        {
            TraceOutput.WriteJson(stdout, result, walked);
        }
        else
        {
            TraceOutput.WriteText(stdout, source, target, result);
            if (walked is not null)
            {
                live!.WriteText(stdout, walked);
            }
        }

        return 0;
    }
}
