using Maille.Lab.Labs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Api;

public sealed partial class LabApiServer
{
    /// <summary>
    /// <c>pods/exec</c> (<c>kubectl exec</c>): a WebSocket in the first of <see cref="PodExec.Protocols"/> the client
    /// offers; the command runs in the pod's network namespace (a hostNetwork pod's: its node's). kubectl falls back to
    /// SPDY when the upgrade is refused; the lab speaks only WebSocket, and says so.
    /// </summary>
    private void MapExec(WebApplication app) =>
        app.MapMethods("/api/v1/namespaces/{ns}/pods/{name}/exec", ["GET", "POST"], async (HttpContext http, string ns, string name) =>
        {
            if (await RunningPodAsync(http, ns, name) is not { } pod)
            {
                return;
            }

            var command = http.Request.Query["command"].OfType<string>().ToList();
            if (command.Count == 0)
            {
                await Status(http, 400, "BadRequest", "you must specify at least one command for the container");
                return;
            }

            var protocol = http.WebSockets.IsWebSocketRequest ? PodExec.Protocols.FirstOrDefault(http.WebSockets.WebSocketRequestedProtocols.Contains) : null;
            if (protocol is null)
            {
                await Status(http, 400, "BadRequest", $"exec takes a WebSocket upgrade with protocol {string.Join(" or ", PodExec.Protocols)} (kubectl 1.30 and later); SPDY is not served");
                return;
            }

            var lab = Controller.Lab;
            var networkNamespace = pod.Spec.HostNetwork ? LabNamespaces.Node(lab, pod.Spec.NodeName!) : LabNamespaces.Pod(lab, pod.QualifiedName);
            using var socket = await http.WebSockets.AcceptWebSocketAsync(protocol);
            var query = http.Request.Query;
            using var exec = new PodExec(socket, networkNamespace, command, query["stdin"] == "true", query["tty"] == "true");
            await exec.RunAsync(http.RequestAborted);
        });
}
