using System.Net;
using Maille.Engine.Trace;
using Maille.Model;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Dataplane.Linux.Tests.Nftables;

// IP plan (default config): node-1..3 198.18.0.11-13 with pods in 198.19.N.0/24; the external client 198.18.0.2;
// LoadBalancer addresses from 198.18.0.200-250. Worlds from RandomServiceDecisions, each brought up as a live lab.

/// <summary>
/// The Service ladder's kernel rung, as the NetworkPolicy ladder has one: random Services (the worlds of
/// ServiceDecisionDifferentialTests, where reference, plan, trace and the rules' walk already agree) are applied by a
/// <see cref="Maille.Dataplane.Linux.Nftables.NodeServiceProxy"/> per node of a real lab, and real connections are sent from every client to the
/// ClusterIP, every NodePort and the LoadBalancer address. Each must end where <c>maille trace</c> says: answered by
/// one of the endpoints it names, refused when it rejects, unanswered when it drops. TCP worlds only (every pod
/// answers TCP on the target port; the UDP decisions are the same rules with another protocol).
/// </summary>
public sealed class ServiceDecisionKernelTests(ITestOutputHelper output)
{
    /// <summary>Worlds per run: each is a lab of three nodes and up to a dozen pods, up in about a second.</summary>
    private const int Worlds = 16;

    /// <summary>How long a dropped connection is given before it counts as unanswered.</summary>
    private static readonly TimeSpan DropWait = TimeSpan.FromMilliseconds(400);

    [SkippableFact]
    public async Task Real_connections_to_random_Services_end_where_the_engine_says()
    {
        Privileged.Require();
        var tally = new Dictionary<string, int>(StringComparer.Ordinal);
        var worlds = 0;
        for (var seed = 1; worlds < Worlds; seed++)
        {
            var yaml = RandomServiceDecisions.Yaml(seed);
            var planned = Cluster.Valid(yaml);
            var service = planned.ServicesByName["app/web"];
            if (service.Ports[0].Protocol != Protocol.TCP)
            {
                continue;
            }

            worlds++;
            await using var lab = await ServiceLab.StartAsync(yaml, config: ClusterConfig.Default);
            var tracer = Tracer.For(lab.Cluster);
            foreach (var connection in ServiceConnections.Of(lab.Cluster, service))
            {
                if (connection.ToLoadBalancerIP && connection.Source.Pod is null)
                {
                    // No speaker here: the outside client reaches the address through the node that would announce it.
                    RouteThrough(lab.Network.External.Name, connection.Destination, lab.NodeIP(connection.EntryNode));
                }

                var expected = Expected(tracer.Trace(connection.Source, new TraceTarget(connection.Text, null, null, null, connection.Destination, connection.Port, Protocol.TCP)));
                var answer = await ServiceLab.AskAsync(From(lab, connection), connection.Destination, connection.Port, expected.Kind == AnswerKind.TimedOut ? DropWait : TimeSpan.FromSeconds(2));
                var agrees = answer.Kind == expected.Kind && (answer.Kind != AnswerKind.Answered || expected.Pods.Contains(answer.Pod!));
                if (!agrees)
                {
                    Assert.Fail($"seed {seed} (RandomServiceDecisions.Yaml({seed})), {connection.Text} entering at {connection.EntryNode}: "
                        + $"the engine says {Describe(expected.Kind, expected.Pods)}; the kernel: {Describe(answer.Kind, answer.Pod is null ? [] : [answer.Pod])}\n{yaml}");
                }

                tally[answer.Kind.ToString()] = tally.GetValueOrDefault(answer.Kind.ToString()) + 1;
            }
        }

        // Every outcome must be met in earnest, or agreeing proves little.
        var summary = string.Join(", ", tally.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Value} {t.Key}"));
        output.WriteLine($"{Worlds} worlds: {summary}");
        Assert.All(Enum.GetNames<AnswerKind>(), kind => Assert.True(tally.GetValueOrDefault(kind) > 0, summary));
    }

    private static void RouteThrough(string ns, IPAddress address, IPAddress via)
    {
        using var ip = System.Diagnostics.Process.Start("ip", ["-n", ns, "route", "replace", $"{address}/32", "via", via.ToString()])!;
        ip.WaitForExit();
        Assert.Equal(0, ip.ExitCode);
    }

    /// <summary>The namespace the connection leaves from: the client pod's, its node's (hostNetwork), or the outside client's.</summary>
    private static Dataplane.Linux.Netns.NetworkNamespace From(ServiceLab lab, ServiceConnection connection) => connection.Source.Pod switch
    {
        null => lab.Network.External,
        { Spec.HostNetwork: true } pod => lab.Node(pod.Spec.NodeName!),
        var pod => lab.Pod(pod.QualifiedName),
    };

    /// <summary>What the trace predicts: answered by one of these pods, refused (reject) or unanswered (drop).</summary>
    private static (AnswerKind Kind, HashSet<string> Pods) Expected(TraceResult result)
    {
        if (result.Endpoints.Count > 0)
        {
            return (AnswerKind.Answered, [.. result.Endpoints.Select(e => e.Pod!)]);
        }

        var verdict = result.Hops.FirstOrDefault(h => h.Stage == "service")?.Result;
        Assert.True(verdict is "rejected" or "dropped", $"a trace that neither reaches an endpoint nor stops at the Service: {result.Reason}");
        return (verdict == "rejected" ? AnswerKind.Refused : AnswerKind.TimedOut, []);
    }

    private static string Describe(AnswerKind kind, IEnumerable<string> pods) => kind switch
    {
        AnswerKind.Answered => "answered by " + string.Join(" or ", pods.Order(StringComparer.Ordinal)),
        AnswerKind.Refused => "refused",
        _ => "no answer",
    };
}
