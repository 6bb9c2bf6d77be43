namespace Maille.Engine.Trace;

/// <summary>An HTTP(S) request traced through the Ingress controller: scheme, host as written, port and path (no query).</summary>
public sealed record TraceHttpRequest(string Scheme, string Host, int Port, string Path)
{
    public bool IsHttps => Scheme == "https";

    public override string ToString() => $"{Scheme}://{Host}{(Port == (IsHttps ? 443 : 80) ? "" : $":{Port}")}{Path}";
}
