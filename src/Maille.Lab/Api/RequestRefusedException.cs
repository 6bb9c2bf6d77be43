using System.Text.Json.Nodes;

namespace Maille.Lab.Api;

/// <summary>
/// A write the API refuses while planning it, with the HTTP code and reason of the API server's <c>Status</c>, and its
/// <c>details</c> when the refusal has some (an apply's conflicts, one cause each).
/// </summary>
internal sealed class RequestRefusedException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;
}
