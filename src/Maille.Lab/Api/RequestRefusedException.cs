namespace Maille.Lab.Api;

/// <summary>A write the API refuses while planning it, with the HTTP code and reason of the API server's <c>Status</c>.</summary>
internal sealed class RequestRefusedException(int code, string reason, string message) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;
}
