using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Maille.Lab.Tests.Agent;

/// <summary>
/// A real API server's rules for one cluster-scoped custom resource with a status subresource, as an HTTP handler:
/// a status PUT on a missing object is 404, without <c>metadata.resourceVersion</c> 422, with a stale one 409; a POST
/// of an existing name is 409 and drops the status (the subresource owns it). Every request is recorded.
/// </summary>
internal sealed class FakeCustomResourceApi(string collectionPath) : DelegatingHandler
{
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private long _version = 100;

    public List<string> Requests { get; } = [];

    public JsonObject? Stored(string name) => _objects.GetValueOrDefault(name);

    /// <summary>Someone else (another writer, an admin) writes the object: its version moves on.</summary>
    public void Store(string name, JsonObject? status = null) =>
        _objects[name] = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["resourceVersion"] = Next() }, ["status"] = status };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        Requests.Add($"{request.Method} {path}");
        var body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        var rest = path.StartsWith(collectionPath, StringComparison.Ordinal) ? path[collectionPath.Length..].Trim('/').Split('/') : [];
        var response = (request.Method.Method, rest) switch
        {
            ("POST", [""]) => Create(body!),
            ("GET", [var name]) => _objects.TryGetValue(name, out var o) ? Answer(HttpStatusCode.OK, o) : Status(HttpStatusCode.NotFound, "NotFound"),
            ("PUT", [var name, "status"]) => PutStatus(name, body!),
            _ => Status(HttpStatusCode.NotFound, "NotFound"),
        };

        // The client reads the request back from the response, as from HttpClient's.
        response.RequestMessage = request;
        return response;
    }

    private HttpResponseMessage Create(JsonObject body)
    {
        var name = (string)body["metadata"]!["name"]!;
        if (_objects.ContainsKey(name))
        {
            return Status(HttpStatusCode.Conflict, "AlreadyExists");
        }

        body.Remove("status");
        body["metadata"]!["resourceVersion"] = Next();
        _objects[name] = body;
        return Answer(HttpStatusCode.Created, body);
    }

    private HttpResponseMessage PutStatus(string name, JsonObject body)
    {
        if (!_objects.TryGetValue(name, out var stored))
        {
            return Status(HttpStatusCode.NotFound, "NotFound");
        }

        var version = (string?)body["metadata"]?["resourceVersion"];
        if (version is null)
        {
            return Status(HttpStatusCode.UnprocessableEntity, "Invalid");
        }

        if (version != (string?)stored["metadata"]!["resourceVersion"])
        {
            return Status(HttpStatusCode.Conflict, "Conflict");
        }

        stored["status"] = body["status"]?.DeepClone();
        stored["metadata"]!["resourceVersion"] = Next();
        return Answer(HttpStatusCode.OK, stored);
    }

    private string Next() => (++_version).ToString(CultureInfo.InvariantCulture);

    private static HttpResponseMessage Answer(HttpStatusCode code, JsonObject body) =>
        new(code) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Status(HttpStatusCode code, string reason) =>
        Answer(code, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = reason, ["code"] = (int)code });
}
