using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Labs;
using Maille.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Maille.Lab.Api;

public sealed partial class LabApiServer
{
    /// <summary>How long a connection to a pod's port may take before the client is told it failed.</summary>
    private static readonly TimeSpan PodConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>pods/portforward</c> (<c>kubectl port-forward</c>): SPDY/3.1 in the <see cref="PodPortForward.Protocol"/>
    /// protocol, tunnelled in a WebSocket (<see cref="PodPortForward.WebSocketProtocol"/>, what kubectl 1.31 and later
    /// ask for first, with GET) or over an HTTP/1.1 upgrade to <c>SPDY/3.1</c> (kubectl's fallback, with POST). The
    /// connections to the pod are made from inside its network namespace (a hostNetwork pod's: its node's).
    /// </summary>
    private void MapPortForward(WebApplication app) =>
        app.MapMethods("/api/v1/namespaces/{ns}/pods/{name}/portforward", ["GET", "POST"], async (HttpContext http, string ns, string name) =>
        {
            if (await RunningPodAsync(http, ns, name) is not { } pod)
            {
                return;
            }

            var lab = Controller.Lab;
            var networkNamespace = pod.Spec.HostNetwork ? LabNamespaces.Node(lab, pod.Spec.NodeName!) : LabNamespaces.Pod(lab, pod.QualifiedName);
            var address = pod.Status.PodIP!;
            PodPortForward.Connector connect = (port, cancellationToken) => ConnectInsideAsync(networkNamespace, address, port, cancellationToken);
            if (http.WebSockets.IsWebSocketRequest && http.WebSockets.WebSocketRequestedProtocols.Contains(PodPortForward.WebSocketProtocol))
            {
                // The protocol is named in the answer's header by hand: .NET refuses it as a subprotocol (a '/' is not a
                // token character of RFC 6455), after it has sent the 101, and kubectl would only see the connection drop.
                http.Response.Headers.SecWebSocketProtocol = PodPortForward.WebSocketProtocol;
                using var socket = await http.WebSockets.AcceptWebSocketAsync();
                await using (var tunnel = WebSocketStream.Create(socket, WebSocketMessageType.Binary))
                {
                    using var forward = new PodPortForward(tunnel, pod.QualifiedName, connect);
                    await forward.RunAsync(http.RequestAborted);
                }

                await CloseQuietlyAsync(socket);
                return;
            }

            if (http.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade
                && string.Equals(http.Request.Headers.Upgrade, "SPDY/3.1", StringComparison.OrdinalIgnoreCase)
                && http.Request.Headers["X-Stream-Protocol-Version"].Contains(PodPortForward.Protocol))
            {
                http.Response.Headers.Connection = "Upgrade";
                http.Response.Headers.Upgrade = "SPDY/3.1";
                http.Response.Headers["X-Stream-Protocol-Version"] = PodPortForward.Protocol;
                await using var connection = await upgrade.UpgradeAsync();
                using var forward = new PodPortForward(connection, pod.QualifiedName, connect);
                await forward.RunAsync(http.RequestAborted);
                return;
            }

            await Status(http, 400, "BadRequest", $"port-forward takes a WebSocket upgrade with protocol {PodPortForward.WebSocketProtocol} (kubectl 1.31 and later) or an upgrade to SPDY/3.1 with X-Stream-Protocol-Version {PodPortForward.Protocol}");
        });

    /// <summary>
    /// A TCP connection to <paramref name="port"/> made inside <paramref name="networkNamespace"/> (the socket keeps
    /// the namespace it was made in): to the pod's address, where the pods' built-in server listens, then to
    /// 127.0.0.1, where the kubelet connects (a program of the pod's own may listen on loopback only).
    /// </summary>
    private static async ValueTask<Socket> ConnectInsideAsync(string networkNamespace, IPAddress address, int port, CancellationToken cancellationToken)
    {
        NetworkNamespace ns;
        try
        {
            ns = NetworkNamespace.Open(networkNamespace);
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            throw new IOException($"the pod's network namespace cannot be opened: {e.Message}", e);
        }

        using (ns)
        {
            var loopback = address.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
            SocketException? refused = null;
            foreach (var target in new[] { address, loopback })
            {
                var socket = ns.CreateSocket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.NoDelay = true;
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(PodConnectTimeout);
                    try
                    {
                        await socket.ConnectAsync(new IPEndPoint(target, port), timeout.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new IOException($"dial tcp {target}:{port}: no answer within {PodConnectTimeout.TotalSeconds:0} s");
                    }

                    return socket;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    socket.Dispose();
                    refused = e;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            throw new IOException($"dial tcp {address}:{port} and {loopback}:{port} inside the pod's network namespace: {refused!.Message}", refused);
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client left first.
        }
    }

    /// <summary>
    /// The pod a subresource (<c>exec</c>, <c>portforward</c>) acts on, when it runs: scheduled and addressed. Else
    /// the answer (404, or 400 for a pod that does not run) is written and null returned.
    /// </summary>
    private async Task<Pod?> RunningPodAsync(HttpContext http, string ns, string name)
    {
        var pod = store.Snapshot.Cluster.Pods.FirstOrDefault(p => p.Namespace == ns && p.Name == name);
        if (pod is null)
        {
            await Status(http, 404, "NotFound", $"pods \"{name}\" not found");
            return null;
        }

        if (pod.Spec.NodeName is null || pod.Status.PodIP is null)
        {
            await Status(http, 400, "BadRequest", $"pod {ns}/{name} is not running (it has no node or address)");
            return null;
        }

        return pod;
    }
}
