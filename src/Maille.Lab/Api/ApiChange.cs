using System.Text.Json.Nodes;
using Maille.Model;

namespace Maille.Lab.Api;

/// <summary>
/// One object that changed at <see cref="Version"/>: <c>ADDED</c>, <c>MODIFIED</c> or <c>DELETED</c>, what a watch
/// replays to a client resuming from an earlier resource version. The object is kept as written then (compact JSON,
/// its resource version set; a deleted one as it was last seen), so the log holds no older plan alive.
/// </summary>
public sealed record ApiChange(long Version, ApiResource Resource, string Type, ObjectMeta Meta, string Json)
{
    public JsonObject Object() => JsonNode.Parse(Json)!.AsObject();
}
