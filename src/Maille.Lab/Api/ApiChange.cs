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
    private byte[]? _eventLine;

    public JsonObject Object() => JsonNode.Parse(Json)!.AsObject();

    /// <summary>
    /// The watch event's line as a watcher sends it (<c>{"type":…,"object":…}</c> and a newline, UTF-8), made once for
    /// <see cref="Type"/> and shared by every watcher; a selective watch that sends the change as another type (an
    /// object entering or leaving its selection) gets its own.
    /// </summary>
    public ReadOnlyMemory<byte> EventLine(string type)
    {
        if (type != Type)
        {
            return Encode(type);
        }

        // Two watchers may both make it first; either copy is the same bytes.
        return _eventLine ??= Encode(type);
    }

    private byte[] Encode(string type) => System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":{Json}}}\n");
}
