using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;

namespace Maille.Kube.Patching;

/// <summary>
/// The patch types of the API server's PATCH verb, applied to an object's JSON: JSON patch (RFC 6902, with ASP.NET
/// Core's implementation), JSON merge patch (RFC 7386) and strategic merge patch (built-in kinds only, as the API
/// server refuses it for custom resources).
/// </summary>
public static class ObjectPatch
{
    public const string JsonPatchType = "application/json-patch+json";
    public const string MergePatchType = "application/merge-patch+json";
    public const string StrategicMergePatchType = "application/strategic-merge-patch+json";

    /// <summary>Server-side apply (YAML or JSON body), which the API answers itself (<c>Fields.FieldManager.Apply</c>): it is not applied here.</summary>
    public const string ApplyPatchType = "application/apply-patch+yaml";

    /// <summary>The PATCH media types the API takes, in the order of the API server's 415 message.</summary>
    public static IReadOnlyList<string> Types { get; } = [JsonPatchType, MergePatchType, ApplyPatchType, StrategicMergePatchType];

    /// <param name="type">The object's model type (<see cref="Schema.ModelTypes.Of"/>); null for a kind without one.</param>
    /// <returns>The patched object.</returns>
    /// <exception cref="FormatException">The patch cannot be read or applied; the message says why.</exception>
    /// <exception cref="NotSupportedException">Strategic merge patch of a kind without a model type.</exception>
    public static JsonObject Apply(JsonObject current, string contentType, string body, Type? type)
    {
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the patch is not JSON: {e.Message}", e);
        }

        switch (contentType)
        {
            case JsonPatchType:
                return ApplyJsonPatch(current, body);
            case MergePatchType:
                return JsonMergePatch.Apply(current, patch) as JsonObject ?? throw new FormatException("a merge patch of an object must be a JSON object");
            case StrategicMergePatchType when type is null:
                throw new NotSupportedException("strategic merge patch is not supported for this kind: use a JSON merge patch or a JSON patch");
            case StrategicMergePatchType:
                return StrategicMergePatch.Apply(current, patch as JsonObject ?? throw new FormatException("a strategic merge patch must be a JSON object"), type);
            default:
                throw new NotSupportedException($"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", Types)}");
        }
    }

    private static JsonObject ApplyJsonPatch(JsonObject current, string body)
    {
        Validate(JsonNode.Parse(body));
        JsonPatchDocument document;
        try
        {
            document = JsonSerializer.Deserialize<JsonPatchDocument>(body) ?? throw new FormatException("the JSON patch is empty");
        }
        catch (JsonException e)
        {
            throw new FormatException($"the JSON patch cannot be read: {e.Message}", e);
        }

        var result = (JsonObject)current.DeepClone();
        try
        {
            string? failed = null;
            document.ApplyTo(result, error => failed ??= error.ErrorMessage);
            return failed is null ? result : throw new FormatException($"the JSON patch cannot be applied: {failed}");
        }
        catch (Exception e) when (e is not FormatException)
        {
            // The library throws for what its error callback does not cover; the request is what was wrong.
            throw new FormatException($"the JSON patch cannot be applied: {e.Message}", e);
        }
    }

    /// <summary>
    /// Each operation as RFC 6902 says: an <c>op</c> of the six, a <c>path</c>, a <c>from</c> for move and copy, a
    /// <c>value</c> for add, replace and test. Checked first: the library passes over an unknown op in silence.
    /// </summary>
    private static void Validate(JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw new FormatException("a JSON patch is a list of operations");
        }

        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i] as JsonObject ?? throw new FormatException($"operation {i} is not an object");
            var op = String(operation, "op", i);
            String(operation, "path", i);
            if (op is not ("add" or "remove" or "replace" or "move" or "copy" or "test"))
            {
                throw new FormatException($"operation {i}: unknown op \"{op}\" (add, remove, replace, move, copy or test)");
            }

            if (op is "move" or "copy")
            {
                String(operation, "from", i);
            }

            if (op is "add" or "replace" or "test" && !operation.ContainsKey("value"))
            {
                throw new FormatException($"operation {i}: {op} needs a value");
            }
        }
    }

    private static string String(JsonObject operation, string name, int index) =>
        operation[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw new FormatException($"operation {index}: {name} must be a string");
}
