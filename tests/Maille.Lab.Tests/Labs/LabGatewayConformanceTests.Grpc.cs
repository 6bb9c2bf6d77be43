using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// The GRPCRoute core conformance tests live, each a case of <see cref="GrpcCoreConformance"/> (the table the engine's
/// GrpcCoreConformanceTests and the loopback GatewayGrpcConformanceTests check too), in the same lab and the same way
/// as the HTTP cases: the case's gRPC backends (Services and pods) and GRPCRoutes are applied with <c>kubectl apply</c>,
/// and each probe is a real gRPC call (<see cref="GrpcConformanceCall"/>: HTTP/2 with prior knowledge) from the lab's
/// <c>external</c> namespace to the Gateway's LoadBalancer address, through the Gateway's proxy pod, which speaks HTTP/2
/// to a GRPCRoute's backends, to the backend pods' built-in server, which answers on the same port as HTTP/1.1 and
/// names its pod in grpc-message.
/// </summary>
public sealed partial class LabGatewayConformanceTests
{
    public static TheoryData<string> GrpcCases => [.. GrpcCoreConformance.All.Select(c => c.Name)];

    [SkippableTheory]
    [MemberData(nameof(GrpcCases))]
    public Task A_GRPCRoute_core_conformance_case_is_answered_live_by_real_gRPC_calls_as_the_shared_table_says(string test) =>
        RunAsync(GrpcCoreConformance.Named(test), SendGrpcAsync);

    private static async Task<ProbeAnswer> SendGrpcAsync(HttpClient client, ConformanceProbe probe)
    {
        try
        {
            return new(await GrpcConformanceCall.SendAsync(client, probe), null, new Dictionary<string, string>());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return NoAnswer(e);
        }
    }
}
