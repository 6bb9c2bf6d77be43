using System.Globalization;
using System.Text.Json.Nodes;

namespace Maille.Kube.Fields;

/// <summary>
/// One entry of <c>metadata.managedFields</c>: the fields a manager set, by one operation (<c>Apply</c> or
/// <c>Update</c>) at one apiVersion, through the object or one of its subresources (<c>scale</c>).
/// </summary>
public sealed record ManagedFieldsEntry(string Manager, string Operation, string ApiVersion, DateTimeOffset Time, string? Subresource, FieldSet Fields)
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    /// <summary>
    /// Whether this entry is the one <paramref name="writer"/> writes by <paramref name="operation"/>: the API server
    /// keys entries by manager, operation and subresource, and an Update's also by apiVersion.
    /// </summary>
    public bool IsOf(FieldWriter writer, string operation) =>
        Manager == writer.Manager && Operation == operation && Subresource == writer.Subresource
        && (operation == Apply || ApiVersion == writer.ApiVersion);

    /// <summary>The manager as the API server names it in a conflict: <c>"kubectl-scale" with subresource "scale" using apps/v1</c>.</summary>
    public string Display =>
        $"\"{Manager}\"{(Subresource is null ? "" : $" with subresource \"{Subresource}\"")}{(Operation == Update ? $" using {ApiVersion}" : "")}";

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = Operation,
            ["apiVersion"] = ApiVersion,
            ["time"] = Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = Fields.ToFieldsV1(),
        };
        if (Subresource is not null)
        {
            json["subresource"] = Subresource;
        }

        return json;
    }

    /// <exception cref="FormatException">Not a managed fields entry of type FieldsV1.</exception>
    public static ManagedFieldsEntry FromJson(JsonNode? node)
    {
        if (node is not JsonObject json || Text(json["fieldsType"]) != "FieldsV1" || json["fieldsV1"] is not JsonObject fields
            || Text(json["manager"]) is not { } manager || Text(json["operation"]) is not ({ } operation and (Apply or Update))
            || Text(json["apiVersion"]) is not { } apiVersion || Text(json["time"]) is not { } time
            || !DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            || (json["subresource"] is { } subresource && Text(subresource) is null))
        {
            throw new FormatException($"not a managed fields entry: {node?.ToJsonString()}");
        }

        return new ManagedFieldsEntry(manager, operation, apiVersion, at, Text(json["subresource"]), FieldSet.FromFieldsV1(fields));
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
