using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Mesh;

/// <summary>A mesh proxy's metrics over plain HTTP, on Istio's paths (<c>/stats/prometheus</c> and <c>/metrics</c>): any other request is a 404.</summary>
internal static class PrometheusEndpoint
{
    public static Task WriteAsync(HttpContext context, Func<Stream, CancellationToken, Task> export)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || context.Request.Path.Value is not ("/stats/prometheus" or "/metrics"))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        return export(context.Response.Body, context.RequestAborted);
    }
}
