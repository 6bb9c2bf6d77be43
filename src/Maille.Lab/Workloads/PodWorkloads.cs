using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Maille.Dataplane.Linux.Netns;
using Maille.Model;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Workloads;

/// <summary>
/// What runs in each pod of a lab: its declared ports, served by the one in-process <see cref="PodServerHost"/> on
/// sockets opened inside the pod's namespace (hostNetwork pods: their node's), or the container's own program started
/// inside that namespace. Pods are started and stopped one by one as the lab changes; a pod whose containers, address
/// or node change is stopped and started again, and so is one made again under its name (a new uid). The cluster DNS pods' ports go to the <see cref="Dns.ClusterDnsServer"/>
/// instead, and the Ingress controller pods' and the Gateways' proxy pods' ports to the <see cref="Ingresses.IngressProxy"/>; waypoint pods are the mesh's (<see cref="Mesh.LabMesh"/>). Not thread-safe: the lab's controller is its only caller.
/// </summary>
public sealed partial class PodWorkloads(PodServerHost server, Dns.ClusterDnsServer dns, Ingresses.IngressProxy ingress, ILogger logger)
{
    private readonly Dictionary<string, Running> _running = new(StringComparer.Ordinal);

    public int PortCount => _running.Values.Sum(r => r.Ports);

    public IReadOnlyCollection<string> Pods => _running.Keys;

    /// <summary>Whether <paramref name="pod"/> runs as it is described now (the same pod, with the same containers, address, node).</summary>
    public bool RunsAsDescribed(Pod pod) =>
        _running.TryGetValue(pod.QualifiedName, out var running) && Kube.ObjectUid.Same(running.Pod.Meta, pod.Meta) && running.Signature == Signature(pod);

    /// <summary>Opens the pod's ports and starts its programs inside <paramref name="ns"/>.</summary>
    public void Start(Pod pod, NetworkNamespace ns)
    {
        var id = PodId.From(pod);

        // The server's own /healthz says the server is up; readiness is what the probes observe, kept apart so a
        // probe on /healthz does not wait for itself.
        server.SetPod(id, ready: true);
        var running = new Running(pod);
        _running[pod.QualifiedName] = running;
        server.Logs.Clear(pod.QualifiedName);
        if (Engine.Dns.SystemManifests.IsClusterDnsPod(pod))
        {
            foreach (var port in pod.Spec.AllPorts.Where(p => p.Protocol != Protocol.SCTP))
            {
                dns.AddPort(new PodPort(id, port.Protocol, port.Port), OpenSocket(ns, pod.Status.PodIP!, port));
                running.Ports++;
            }

            return;
        }

        if (Engine.Ingresses.IngressControllerManifests.IsControllerPod(pod))
        {
            foreach (var port in pod.Spec.AllPorts.Where(p => p.Protocol == Protocol.TCP))
            {
                var role = port.Port switch
                {
                    Engine.Ingresses.MailleIngressController.HttpPort => Ingresses.IngressListenerRole.Http,
                    Engine.Ingresses.MailleIngressController.HttpsPort => Ingresses.IngressListenerRole.Https,
                    _ => Ingresses.IngressListenerRole.Metrics,
                };
                var key = new PodPort(id, Protocol.TCP, port.Port);
                ingress.AddListener(role, key, OpenSocket(ns, pod.Status.PodIP!, port));
                running.Listeners.Add((role, key));
                running.Ports++;
            }

            return;
        }

        if (Engine.Mesh.WaypointManifests.IsWaypointPod(pod))
        {
            return; // Its HBONE port is the waypoint proxy's (Mesh.LabMesh), opened when the mesh syncs.
        }

        if (Engine.Gateways.GatewayProxyManifests.IsProxyPod(pod))
        {
            foreach (var port in pod.Spec.AllPorts.Where(p => p.Protocol == Protocol.TCP))
            {
                var role = Engine.Gateways.GatewayProxyManifests.IsTlsPort(port.Name) ? Ingresses.IngressListenerRole.GatewayHttps : Ingresses.IngressListenerRole.GatewayHttp;
                var key = new PodPort(id, Protocol.TCP, port.Port);
                ingress.AddListener(role, key, OpenSocket(ns, pod.Status.PodIP!, port));
                running.Listeners.Add((role, key));
                running.Ports++;
            }

            return;
        }

        foreach (var container in pod.Spec.Containers)
        {
            if (RunsOwnProgram(container))
            {
                running.Programs.Add(StartProgram(ns, pod, container));
                continue;
            }

            foreach (var port in container.Ports.Where(p => p.Protocol != Protocol.SCTP))
            {
                server.AddPort(new PodPort(id, port.Protocol, port.Port), OpenSocket(ns, pod.Status.PodIP!, port));
                running.Ports++;
            }
        }
    }

    /// <summary>Closes the pod's ports and kills its programs.</summary>
    public void Stop(string key)
    {
        if (!_running.Remove(key, out var running))
        {
            return;
        }

        var id = PodId.Parse(key);
        server.RemovePod(id);
        dns.RemovePod(id);
        foreach (var (role, port) in running.Listeners)
        {
            ingress.RemoveListener(role, port);
        }
        foreach (var process in running.Programs)
        {
            Kill(process);
        }
    }

    public void StopAll()
    {
        foreach (var key in _running.Keys.ToList())
        {
            Stop(key);
        }
    }

    /// <summary>
    /// A container runs its own <c>command</c>, except agnhost's (the Kubernetes e2e test server): the built-in server
    /// answers in its place, since it speaks the same endpoints, and upstream-style manifests then work unchanged.
    /// </summary>
    public static bool RunsOwnProgram(Container container) =>
        !container.Command.IsEmpty && Path.GetFileName(container.Command[0]) != "agnhost";

    /// <summary>
    /// What a pod's workload depends on besides which pod it is (its uid: a StatefulSet's pod deleted comes back under
    /// its name as a new pod, whose program starts afresh): its spec and address; not its labels, readiness or where its
    /// manifest sits in a file.
    /// </summary>
    private static (PodSpec Spec, IPAddress? Address) Signature(Pod pod) => (pod.Spec, pod.Status.PodIP);

    private static Socket OpenSocket(NetworkNamespace ns, IPAddress address, ContainerPort port) => ns.RunBriefly(() =>
    {
        var tcp = port.Protocol == Protocol.TCP;
        var socket = new Socket(AddressFamily.InterNetwork, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port.Port));
            if (tcp)
            {
                socket.Listen(512);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    });

    /// <summary>Runs a container's own program inside the pod's namespace (through iproute2's <c>ip netns exec</c>).</summary>
    private Process StartProgram(NetworkNamespace ns, Pod pod, Container container)
    {
        // Its output is the container's log (kubectl logs), line by line, standard output and error together as a
        // container runtime keeps them.
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "netns", "exec", ns.Name }.Concat(container.Command).Concat(container.Args))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the program of {pod.QualifiedName} container {container.Name}");
        void Keep(string? line)
        {
            if (line is not null)
            {
                server.Logs.Append(pod.QualifiedName, container.Name, line);
            }
        }

        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        LogProgramStarted(pod.QualifiedName, container.Name, container.Command[0], process.Id);
        return process;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(2));
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        process.Dispose();
    }

    private sealed class Running(Pod pod)
    {
        /// <summary>The pod as it was started.</summary>
        public Pod Pod { get; } = pod;

        public (PodSpec Spec, IPAddress? Address) Signature { get; } = PodWorkloads.Signature(pod);

        public List<Process> Programs { get; } = [];

        public List<(Ingresses.IngressListenerRole Role, PodPort Port)> Listeners { get; } = [];

        public int Ports { get; set; }
    }

    [LoggerMessage(EventId = 520, Level = LogLevel.Information, Message = "Pod {Pod} container {Container} runs {Program} as process {Pid}")]
    private partial void LogProgramStarted(string pod, string container, string program, int pid);
}
