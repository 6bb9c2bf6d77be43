using System.Text.Json.Nodes;
using Maille.Kube;
using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Api;

/// <summary>
/// Which objects a list or watch request selects: its path's namespace and name, and its <c>labelSelector</c> and
/// <c>fieldSelector</c> (<see cref="LabelQuery"/>, <see cref="FieldQuery"/>). Fields other than the name and
/// namespace are read from the object as written, so only a request that selects by them writes every object.
/// </summary>
internal sealed record ObjectFilter(string? Namespace, string? Name, LabelQuery Labels, FieldQuery Fields)
{
    /// <exception cref="FormatException">A selector does not parse, or selects by a field the kind has not.</exception>
    public static ObjectFilter From(HttpRequest request, ApiResource resource, string? ns, string? name) =>
        new(ns, name, LabelQuery.Parse(request.Query["labelSelector"].ToString()), FieldQuery.Parse(request.Query["fieldSelector"].ToString(), resource.Kind));

    public bool ReadsObject => Fields.ReadsObject;

    /// <summary>
    /// Whether an object can enter or leave the selection by changing (its labels, or a field other than its name and
    /// namespace, which never change), so that a watch must track which objects its client has.
    /// </summary>
    public bool CanChangeMembership => !Labels.SelectsEverything || Fields.ReadsObject;

    public bool Matches(Maille.Model.ObjectMeta meta, Func<JsonObject> written) =>
        (Namespace is null || meta.Namespace == Namespace) && (Name is null || meta.Name == Name) && Labels.Matches(meta.Labels)
        && Fields.Matches(path => path switch
        {
            "metadata.name" => meta.Name,
            "metadata.namespace" => meta.Namespace,
            // An event's source is its component; events.k8s.io calls the object an event is about "regarding".
            "source" => Read(written(), "source.component") ?? Read(written(), "deprecatedSource.component"),
            _ when path.StartsWith("involvedObject.", StringComparison.Ordinal) => Read(written(), path) ?? Read(written(), "regarding" + path["involvedObject".Length..]),
            _ => Read(written(), path),
        });

    private static string? Read(JsonObject json, string path)
    {
        JsonNode? node = json;
        foreach (var part in path.Split('.'))
        {
            node = (node as JsonObject)?[part];
        }

        // A string reads as itself, a boolean as true or false, as the API server compares them.
        return node is JsonValue value ? value.ToString() : null;
    }
}
