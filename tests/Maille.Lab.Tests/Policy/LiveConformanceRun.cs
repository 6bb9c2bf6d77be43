using System.Collections.Concurrent;
using Maille.Model;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Policy;

/// <summary>
/// What the live conformance run saw: each probe's outcome, the subtests that ran (at least one connection probed) and
/// those left out (only SCTP connections), and every disagreement with upstream's expectation. A timeout where a
/// connection is expected to succeed is asked once more (a denial is an ICMP reject, never a timeout), and the retry
/// is named in the output and in the failure message.
/// </summary>
internal sealed class LiveConformanceRun(ITestOutputHelper output)
{
    private readonly ConcurrentQueue<string> _mismatches = new();
    private readonly HashSet<(string Test, string Case)> _probedCases = [];
    private readonly HashSet<(string Test, string Case)> _cases = [];
    private readonly RetryLog _retries = new(output);
    private int _probed;
    private int _probedAllowed;
    private int _notRun;

    public IReadOnlyCollection<string> Mismatches => _mismatches;

    public RetryLog Retries => _retries;

    public int Probed => _probed;

    /// <summary>How many of the probed connections upstream expects to succeed (the others it expects to fail).</summary>
    public int ProbedAllowed => _probedAllowed;

    public int NotProbedCount => _notRun;

    /// <summary>The subtests (test, case) with at least one connection probed.</summary>
    public IReadOnlySet<(string Test, string Case)> ProbedCases => _probedCases;

    /// <summary>Every subtest (test, case) met, probed or not.</summary>
    public IReadOnlySet<(string Test, string Case)> Cases => _cases;

    public void NotProbed(LiveConformanceProbe probe)
    {
        _notRun++;
        _cases.Add((probe.Test, probe.Case));
    }

    /// <summary>Every probe at once (at most 32 attempts at a time), each compared with its expectation.</summary>
    public async Task Probe(PolicyLab lab, IReadOnlyList<LiveConformanceProbe> probes)
    {
        using var gate = new SemaphoreSlim(32);
        var outcomes = await Task.WhenAll(probes.Select(async probe =>
        {
            await gate.WaitAsync();
            try
            {
                var first = await Attempt(lab, probe, TimeSpan.FromSeconds(1));
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
            _probedCases.Add((probe.Test, probe.Case));
            if (Succeeded(outcome) != probe.Allowed)
            {
                _mismatches.Enqueue($"{probe}, observed {outcome}");
                output.WriteLine($"[mismatch] {probe}, observed {outcome}");
            }
        }
    }

    private static bool Succeeded(string outcome) => outcome is "connected" or "answered";

    private static Task<string> Attempt(PolicyLab lab, LiveConformanceProbe probe, TimeSpan timeout)
    {
        var (from, to) = (ConformanceCluster.QualifiedName(probe.From), ConformanceCluster.QualifiedName(probe.To));
        return probe.Port.Protocol == Protocol.TCP
            ? lab.TcpAsync(from, to, probe.Port.Port, timeout)
            : lab.UdpAsync(from, to, probe.Port.Port, timeout);
    }
}
