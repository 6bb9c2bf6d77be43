using System.Collections.Concurrent;
using Maille.Model;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Policy;

/// <summary>
/// What the live conformance run saw: each probe's outcome, the subtests that ran, and every disagreement with
/// upstream's expectation. TCP and UDP probes are connections and datagrams with their answers; an SCTP probe is an
/// INIT chunk from a raw socket (<see cref="SctpInit"/>). A TCP or UDP denial is an ICMP reject, never a timeout, so a
/// timeout where a connection is expected to succeed is asked once more (an SCTP INIT expected to arrive is sent again),
/// and the retry is named in the output and in the failure message.
/// </summary>
internal sealed class LiveConformanceRun(ITestOutputHelper output)
{
    private readonly ConcurrentQueue<string> _mismatches = new();
    private readonly HashSet<(string Test, string Case)> _cases = [];
    private readonly RetryLog _retries = new(output);
    private int _probed;
    private int _probedAllowed;

    public IReadOnlyCollection<string> Mismatches => _mismatches;

    public RetryLog Retries => _retries;

    public int Probed => _probed;

    /// <summary>How many of the probed connections upstream expects to succeed (the others it expects to fail).</summary>
    public int ProbedAllowed => _probedAllowed;

    /// <summary>The subtests (test, case) probed.</summary>
    public IReadOnlySet<(string Test, string Case)> Cases => _cases;

    /// <summary>Every probe at once (at most 32 attempts at a time), each compared with its expectation.</summary>
    public async Task Probe(PolicyLab lab, IReadOnlyList<LiveConformanceProbe> probes)
    {
        using var gate = new SemaphoreSlim(32);
        var outcomes = await Task.WhenAll(probes.Select(async probe =>
        {
            await gate.WaitAsync();
            try
            {
                // An SCTP denial is a timeout (the reject's ICMP error does not reach a raw socket): its wait is kept short,
                // and an INIT expected to arrive that did not is sent again as a timed-out connection is.
                var first = await Attempt(lab, probe, probe.Port.Protocol == Protocol.SCTP ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(1));
                if (Succeeded(first) == probe.Allowed || first != "timeout")
                {
                    return (probe, first);
                }

                var second = await Attempt(lab, probe, TimeSpan.FromSeconds(2));
                _retries.Record(probe.ToString(), first, second);
                return (probe, second);
            }
            finally
            {
                gate.Release();
            }
        }));
        foreach (var (probe, outcome) in outcomes)
        {
            _probed++;
            _probedAllowed += probe.Allowed ? 1 : 0;
            _cases.Add((probe.Test, probe.Case));
            if (Succeeded(outcome) != probe.Allowed)
            {
                _mismatches.Enqueue($"{probe}, observed {outcome}");
                output.WriteLine($"[mismatch] {probe}, observed {outcome}");
            }
        }
    }

    private static bool Succeeded(string outcome) => PolicyLab.Succeeded(outcome);

    private static Task<string> Attempt(PolicyLab lab, LiveConformanceProbe probe, TimeSpan timeout) =>
        lab.ProbeAsync(ConformanceCluster.QualifiedName(probe.From), ConformanceCluster.QualifiedName(probe.To), probe.Port, timeout);
}
