using System.Globalization;
using System.Text.Json.Nodes;
using Maille.Engine;
using Maille.Engine.Workloads;
using Maille.Kube.Tables;
using Maille.Model;
using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Api;

/// <summary>
/// The server-side printing kubectl asks for (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>): a
/// <c>meta.k8s.io/v1</c> Table with the columns <c>maille get</c> prints, so <c>kubectl get pods</c> shows READY,
/// STATUS, RESTARTS and AGE. Columns only <c>-o wide</c> shows have priority 1; NAMESPACE is not a column, kubectl adds
/// it for <c>-A</c> from each row's object metadata (<c>includeObject=Metadata</c>, the default).
/// </summary>
internal static class TableResponse
{
    /// <summary>Whether the client asked for a Table (it also accepts plain JSON, which is what it gets otherwise).</summary>
    public static bool IsWanted(IHeaderDictionary headers) =>
        headers.Accept.Any(a => a is { } value && value.Contains("as=Table", StringComparison.Ordinal) && value.Contains("g=meta.k8s.io", StringComparison.Ordinal));

    /// <summary>The Table of the objects of <paramref name="view"/> that are <paramref name="selected"/>, each written as the API writes it.</summary>
    public static JsonObject Write(ApiResource resource, ApiView view, Func<ObjectMeta, bool> selected, string? includeObject, TimeProvider clock)
    {
        if (ApiResources.IsEvents(resource))
        {
            var events = view.Objects(resource).Where(o => selected(o.Meta)).Select(o => view.Write(resource, o));
            return Table(EventColumns(), new JsonArray([.. events.Select(e => (JsonNode)Row(EventObjects.Cells(e, clock), () => e, includeObject))]), view.Version);
        }

        var (columns, rows) = Rows(resource, view.Cluster, selected, clock, view.Availability, view.Facts.Restarts);
        return Table(columns, new JsonArray([.. rows.Select(r => (JsonNode)Row(r.Cells, () => view.Write(resource, r.Object), includeObject))]), view.Version);
    }

    /// <summary>The columns of events, the API server's.</summary>
    public static JsonArray EventColumns() => Columns(EventObjects.Headers, header => Array.IndexOf(EventObjects.Headers, header) < EventObjects.PlainColumns);

    /// <summary>A Table of the given rows (each event of a watch carries one).</summary>
    public static JsonObject Table(JsonArray columns, JsonArray rows, long resourceVersion) => new()
    {
        ["kind"] = "Table",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
        ["columnDefinitions"] = columns,
        ["rows"] = rows,
    };

    /// <summary>The column definitions, and the cells of each selected object with the object, in the resource's order.</summary>
    /// <param name="availability">Which pods count as available (a workload's AVAILABLE column).</param>
    /// <param name="restarts">The pods' container restarts (<see cref="ServedFacts.Restarts"/>): the RESTARTS column.</param>
    public static (JsonArray Columns, List<(ObjectMeta Meta, string[] Cells, ApiObject Object)> Rows) Rows(ApiResource resource, ClusterState cluster, Func<ObjectMeta, bool> selected, TimeProvider clock, PodAvailability? availability = null, IReadOnlyDictionary<string, Kube.ContainerRestarts>? restarts = null)
    {
        var tables = new ResourceTables(cluster, clock, availability, restarts);
        var table = resource.Table(tables, selected, true);
        var plain = resource.Table(tables, _ => false, false).Headers.ToHashSet(StringComparer.Ordinal);
        var objects = resource.Objects(cluster, availability).Where(o => selected(o.Meta)).ToList();
        if (objects.Count != table.Rows.Count)
        {
            throw new InvalidOperationException($"{resource.Plural}: {table.Rows.Count} rows for {objects.Count} objects");
        }

        return (Columns(table.Headers, plain.Contains), [.. table.Rows.Select((cells, i) => (objects[i].Meta, cells, objects[i]))]);
    }

    /// <param name="plain">Whether a column shows without <c>-o wide</c> (priority 0).</param>
    private static JsonArray Columns(IReadOnlyList<string> headers, Func<string, bool> plain) => new([.. headers.Select((header, i) => (JsonNode)new JsonObject
    {
        ["name"] = header,
        ["type"] = "string",
        ["format"] = i == 0 ? "name" : "",
        ["description"] = "",
        ["priority"] = plain(header) ? 0 : 1,
    })]);

    /// <summary>
    /// A row: its cells and, as <paramref name="includeObject"/> asks, nothing, the object's metadata
    /// (PartialObjectMetadata, the default) or the object, taken from <paramref name="json"/> (only read when needed:
    /// a watch passes the object it already wrote).
    /// </summary>
    public static JsonObject Row(string[] cells, Func<JsonObject> json, string? includeObject)
    {
        var row = new JsonObject { ["cells"] = new JsonArray([.. cells.Select(c => (JsonNode?)JsonValue.Create(c))]) };
        if (includeObject is "None")
        {
            return row;
        }

        var written = json();
        row["object"] = includeObject is "Object"
            ? written.DeepClone()
            : new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = written["metadata"]?.DeepClone() };
        return row;
    }
}
