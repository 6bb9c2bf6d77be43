using System.Globalization;
using Maille.Lab.Workloads;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Maille.Lab.Api;

public sealed partial class LabApiServer
{
    /// <summary>
    /// <c>pods/log</c> (<c>kubectl logs</c>): a container's log as plain text (<see cref="PodLogs"/>: its program's
    /// output, or the built-in server's request log), with the API's <c>container</c>, <c>tailLines</c>,
    /// <c>sinceSeconds</c>, <c>timestamps</c>, <c>limitBytes</c> and <c>follow</c>; a follow ends when the client goes
    /// or the pod starts again.
    /// </summary>
    private void MapLogs(WebApplication app) =>
        app.MapGet("/api/v1/namespaces/{ns}/pods/{name}/log", async (HttpContext http, string ns, string name) =>
        {
            var pod = store.Snapshot.Cluster.Pods.FirstOrDefault(p => p.Namespace == ns && p.Name == name);
            if (pod is null)
            {
                await Status(http, 404, "NotFound", $"pods \"{name}\" not found");
                return;
            }

            var query = http.Request.Query;
            var names = pod.Spec.Containers.Select(c => c.Name).ToList();
            var asked = query["container"].FirstOrDefault();
            if (asked is null && names.Count > 1)
            {
                await Status(http, 400, "BadRequest", $"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', names)}]");
                return;
            }

            var container = pod.Spec.Containers.FirstOrDefault(c => c.Name == (asked ?? names.FirstOrDefault()));
            if (container is null)
            {
                await Status(http, 400, "BadRequest", $"container {asked} is not valid for pod {name}");
                return;
            }

            if (!TryInt(query["tailLines"], out var tail) || !TryInt(query["sinceSeconds"], out var since) || !TryInt(query["limitBytes"], out var limit))
            {
                await Status(http, 400, "BadRequest", "tailLines, sinceSeconds and limitBytes must be non-negative integers");
                return;
            }

            var timestamps = query["timestamps"] == "true";
            var follow = query["follow"] == "true";
            var log = PodWorkloads.RunsOwnProgram(container) ? container.Name : PodLogs.ServerLog;
            var (lines, follower) = Controller.PodLogs.Read(pod.QualifiedName, log, tail, follow);
            using (follower)
            {
                var after = since is { } seconds ? DateTimeOffset.UtcNow.AddSeconds(-seconds) : DateTimeOffset.MinValue;
                http.Response.ContentType = "text/plain";
                long written = 0;
                async Task<bool> WriteAsync(PodLogLine line)
                {
                    if (line.Time < after)
                    {
                        return true;
                    }

                    var text = (timestamps ? line.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z' ", CultureInfo.InvariantCulture) : "") + line.Text + "\n";
                    if (limit is { } bytes && written + text.Length > bytes)
                    {
                        await http.Response.WriteAsync(text[..(int)Math.Max(0, bytes - written)], http.RequestAborted);
                        return false;
                    }

                    written += text.Length;
                    await http.Response.WriteAsync(text, http.RequestAborted);
                    return true;
                }

                foreach (var line in lines)
                {
                    if (!await WriteAsync(line))
                    {
                        return;
                    }
                }

                if (follower is null)
                {
                    return;
                }

                await http.Response.Body.FlushAsync(http.RequestAborted);
                try
                {
                    await foreach (var line in follower.Lines.ReadAllAsync(http.RequestAborted))
                    {
                        if (!await WriteAsync(line))
                        {
                            return;
                        }

                        await http.Response.Body.FlushAsync(http.RequestAborted);
                    }
                }
                catch (OperationCanceledException)
                {
                    // The client stopped following.
                }
            }
        });

    private static bool TryInt(Microsoft.Extensions.Primitives.StringValues value, out int? result)
    {
        result = null;
        if (value.Count == 0 || string.IsNullOrEmpty(value[0]))
        {
            return true;
        }

        if (int.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            result = parsed;
            return true;
        }

        return false;
    }
}
