using System.Net;
using Maille.Lab.Tests.Ingress;
using Maille.Lab.Workloads;
using Maille.TestKit;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using static Maille.TestKit.GatewayWorld;

namespace Maille.Lab.Tests.Gateway;

/// <summary>
/// The GRPCRoute core conformance tests through the Gateway proxy, each a case of <see cref="GrpcCoreConformance"/>
/// (the table the engine's GrpcCoreConformanceTests check too): real gRPC calls (HTTP/2 with prior knowledge, POST,
/// <c>application/grpc</c>, metadata as headers) to the proxy on loopback, handed a socket of the case's Gateway's proxy
/// pod as the lab hands them over, and on to HTTP/2 backends that answer with grpc-status 0 and their pod's name in
/// grpc-message. The same cases run live in a lab (LabGatewayConformanceTests.Grpc.cs); this loopback run needs no
/// privileges and no lab, so it checks the proxy's gRPC routing in every unprivileged test run, in a second.
/// IP plan: pods have planned addresses in 198.19.0.0/16, never dialled (each maps to its backend's 127.0.0.1 port).
/// </summary>
public sealed class GatewayGrpcConformanceTests
{
    public static TheoryData<string> Cases => [.. GrpcCoreConformance.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_GRPCRoute_core_conformance_case_is_answered_by_the_proxy_as_the_shared_table_says(string test)
    {
        var conformance = GrpcCoreConformance.Named(test);
        var gateways = conformance.Probes.Select(p => p.Gateway).Distinct().ToList();
        var yaml = conformance.World().Yaml + string.Join("---\n", gateways.Select(g => GatewayProxyWorld.ProxyPod($"gw-{g}", g, "http-80", 80)));
        var cluster = Cluster.Valid(yaml);
        var http2 = cluster.Pods.Where(p => p.Labels.Get("app")?.StartsWith("grpc-", StringComparison.Ordinal) == true).ToDictionary(p => p.QualifiedName, _ => HttpProtocols.Http2);
        await using var harness = await ProxyHarness.StartAsync(yaml, http2);
        var listeners = gateways.ToDictionary(g => g, g => harness.AddGatewayListener(new PodId(Infra, $"gw-{g}"), 80, tls: false));

        var failures = new List<string>();
        foreach (var probe in conformance.Probes)
        {
            using var client = harness.NewClient(HttpVersion.Version20, _ => listeners[probe.Gateway]);
            if (probe.Weights is not null)
            {
                var outcomes = new List<string>();
                for (var i = 0; i < 100; i++)
                {
                    outcomes.Add(await GrpcConformanceCall.SendAsync(client, probe));
                }

                failures.Add(probe.DrawMismatch(outcomes) ?? "");
                continue;
            }

            var outcome = await GrpcConformanceCall.SendAsync(client, probe);
            failures.Add(outcome == probe.Expected ? "" : $"{probe}: expected {probe.Expected}, answered {outcome}");
        }

        Assert.True(failures.All(f => f.Length == 0), string.Join('\n', failures.Where(f => f.Length > 0)));
    }
}
