using BenchmarkDotNet.Attributes;
using Maille.Engine;
using Maille.Engine.Dns;
using Maille.Kube;
using Maille.Model;

namespace Maille.Benchmarks;

/// <summary>
/// Cluster DNS on the planning workload (10,000 pods, 2,000 Services in 100 namespaces): building the zone, which the
/// lab's server does once per new cluster state, and answering single questions from it. The baseline is the zone build.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class DnsBenchmarks
{
    private ClusterState _cluster = null!;
    private ClusterDnsZone _zone = null!;
    private DnsQuestion _service = null!;
    private DnsQuestion _srv = null!;
    private DnsQuestion _reverse = null!;
    private DnsQuestion _missing = null!;

    [GlobalSetup]
    public void Setup()
    {
        var yaml = SyntheticCluster.Yaml(services: 2000, podsPerService: 5, namespaces: 100);
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("bench.yaml", yaml)]);
        var config = ClusterConfig.Default with { NodeCount = 50 };
        var result = ClusterPlanner.Plan(SystemManifests.WithClusterDns(manifests, config), config, diagnostics);
        _cluster = result.Cluster ?? throw new InvalidOperationException(string.Join("\n", result.Errors.Take(5)));
        _zone = ClusterDnsZone.Build(_cluster);
        _service = new DnsQuestion("app-1234.ns-34.svc.cluster.local.", DnsRecordType.A);
        _srv = new DnsQuestion("_http._tcp.app-1234.ns-34.svc.cluster.local.", DnsRecordType.SRV);
        _reverse = new DnsQuestion(DnsNames.Reverse(_cluster.PodsByName.Values.First(p => p.Namespace == "ns-34").Status.PodIP!), DnsRecordType.PTR);
        _missing = new DnsQuestion("nothing.ns-34.svc.cluster.local.", DnsRecordType.A);
        foreach (var question in new[] { _service, _srv, _reverse })
        {
            if (_zone.Resolve(question).Answers.Count == 0)
            {
                throw new InvalidOperationException($"no answer to {question}");
            }
        }
    }

    [Benchmark(Baseline = true, Description = "Build the zone (2,000 Services, 10,000 pods)")]
    public int Build() => ClusterDnsZone.Build(_cluster).Zone.Length;

    [Benchmark(Description = "A of a Service")]
    public int ServiceAddress() => _zone.Resolve(_service).Answers.Count;

    [Benchmark(Description = "SRV of a named port (with additional A)")]
    public int ServiceLocation() => _zone.Resolve(_srv).Additional.Count;

    [Benchmark(Description = "PTR of a pod address")]
    public int PodPointer() => _zone.Resolve(_reverse).Answers.Count;

    [Benchmark(Description = "NXDOMAIN")]
    public int Missing() => _zone.Resolve(_missing).Authority.Count;
}
