using System.Globalization;
using Maille.Engine.Gateways;

namespace Maille.TestKit;

/// <summary>
/// Requests and outcomes as the conformance suite writes them: the backend's Service name, or the status code. The
/// engine's tests and the live tests (<see cref="ConformanceCase"/>) build their requests here.
/// </summary>
public static class ConformanceRequests
{
    public static GatewayRequest Get(string path, string host = "example.com", params (string Name, string Value)[] headers)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return new GatewayRequest
        {
            Host = host,
            Path = query < 0 ? path : path[..query],
            Query = query < 0 ? "" : path[(query + 1)..],
            Headers = [.. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))],
        };
    }

    /// <summary>A gRPC call of <paramref name="method"/> (<c>service/Method</c>).</summary>
    public static GatewayRequest Grpc(string method, string host = "example.com", params (string Name, string Value)[] headers) => new()
    {
        Host = host,
        Method = "POST",
        Path = "/" + method,
        Headers = [new("content-type", "application/grpc"), .. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))],
    };

    /// <summary>The Service name (without namespace) the request reached with 200, else the status code.</summary>
    public static string Outcome(this GatewayRouteTable table, GatewayRequest request, int draw = 0)
    {
        var decision = table.Match(request, draw);
        return decision.Status == 200 ? decision.Backend!.Service.Split('/')[1] : decision.Status.ToString(CultureInfo.InvariantCulture);
    }

    public static string Outcome(this GatewayRouteTable table, string path, string host = "example.com", params (string Name, string Value)[] headers) =>
        table.Outcome(Get(path, host, headers));

    /// <summary>
    /// The backend Service of a pod <see cref="GatewayWorld.Backend"/> made (named SERVICE-N, N its number in the
    /// world), from the pod's qualified name (<c>namespace/SERVICE-N</c>) as the lab's and the loopback's servers echo it.
    /// </summary>
    public static string ServiceOfPod(string qualifiedPod)
    {
        var name = qualifiedPod[(qualifiedPod.IndexOf('/', StringComparison.Ordinal) + 1)..];
        return name[..name.LastIndexOf('-')];
    }
}
