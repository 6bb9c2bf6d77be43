using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using Maille.Engine.NetworkPolicies;
using Maille.Lab.Labs;
using Maille.Lab.Probing;
using Maille.Kube.Views;
using Maille.Model;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille demo</c>: installs what the lab needs, brings up the shop example, shows each part of the network working
/// with real traffic, says what it did, and leaves the lab up with the commands to explore and to take it down.
/// </summary>
internal static class DemoCommand
{
    private const string Lab = "demo";

    public static Command Create(CliContext context)
    {
        var files = new Option<string[]>("--filename", "-f") { Description = "Manifests to run (default: examples/shop)", DefaultValueFactory = _ => ["examples/shop"] };
        var command = new Command("demo", """
            The guided tour (Linux, root): installs iproute2, nftables, conntrack and curl if missing, brings up examples/shop as lab "demo",
            shows pods on different nodes reaching each other with real packets, hostNetwork pods on their node's
            address, every pod probed against the engine's prediction, Services, LoadBalancers and the Ingress, a
            NetworkPolicy refusing a connection until a policy applied live allows it, and leaves the lab up to explore.

            Example:
              sudo ./maille demo
            """)
        {
            files,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!LabCommon.CanRunLab(context, Lab) || !OperatingSystem.IsLinux())
            {
                return 1;
            }

            return await RunAsync(context, parse.GetValue(files)!, cancellationToken);
        });
        return command;
    }

    [SupportedOSPlatform("linux")]
    private static async Task<int> RunAsync(CliContext context, string[] files, CancellationToken cancellationToken)
    {
        var output = context.Stdout;
        if (!DemoPackages.OnThisMachine.Ensure(context))
        {
            return 1;
        }

        output.WriteLine("1. Bring up the cluster the engine planned (maille up)");
        if (Up(context, files) != 0)
        {
            return 1;
        }

        // Every step below reads the running lab through its daemon, as `maille get` and `maille trace --lab` do.
        if (LabObjects.Read(context, Lab, ResourceKind.Nodes, ResourceKind.Pods, ResourceKind.Services, ResourceKind.EndpointSlices) is not { } cluster)
        {
            return 1;
        }

        output.WriteLine();
        output.WriteLine("2. Pods on different nodes reach each other directly, without NAT (HTTP to the pod's /clientip)");
        var pods = UserPods(cluster).Where(p => !p.Spec.HostNetwork && p.Spec.NodeName is not null && p.Status.PodIP is not null).ToList();
        foreach (var (from, to) in CrossNodePairs(pods, (from, to, port) => Allowed(context, from, to, port)).Take(3))
        {
            var port = to.Spec.AllPorts.First(p => p.Protocol == Protocol.TCP).Port;
            var ns = LabNamespaces.Pod(Lab, from.QualifiedName);
            var (status, body) = LabNamespaces.HttpGet(ns, to.Status.PodIP!, port, "/clientip", TimeSpan.FromSeconds(3));
            output.WriteLine($"   {from.QualifiedName} ({from.Status.PodIP}, {from.Spec.NodeName}) → {to.QualifiedName} ({to.Status.PodIP}:{port}, {to.Spec.NodeName}): {status[(status.IndexOf(' ', StringComparison.Ordinal) + 1)..]}, it saw the caller as {body}");
        }

        var hostPod = UserPods(cluster).FirstOrDefault(p => p.Spec.HostNetwork && p.Spec.AllPorts.Any(c => c.Protocol == Protocol.TCP));
        if (hostPod is not null)
        {
            output.WriteLine();
            output.WriteLine("3. hostNetwork pods answer on their node's address (HTTP from the outside client to /hostname)");
            var port = hostPod.Spec.AllPorts.First(p => p.Protocol == Protocol.TCP).Port;
            var external = LabNamespaces.External(Lab);
            var (_, body) = LabNamespaces.HttpGet(external, hostPod.Status.PodIP!, port, "/hostname", TimeSpan.FromSeconds(3));
            output.WriteLine($"   external (198.18.0.2) → {hostPod.Status.PodIP}:{port} on {hostPod.Spec.NodeName}: answered by {body}");
        }

        output.WriteLine();
        output.WriteLine("4. Every pod to every pod, real TCP and UDP, compared with the engine (maille probe)");
        var ports = ReachabilityMatrix.DeclaredPorts(pods).Where(p => p.Protocol != Protocol.SCTP).ToList();
        // As `maille probe --lab demo -o json` does: the daemon probes, from the plan it runs.
        var clock = Stopwatch.StartNew();
        var probed = await Task.Run(() => LabViews.Ask(context, Lab, "probe", [], ProbeRequestJson.Write(new ProbeRequest(ports, null, TimeSpan.FromSeconds(1), null, Json: true)), timeout: Timeout.InfiniteTimeSpan, cancellationToken: cancellationToken), cancellationToken);
        var report = probed is null ? null : System.Text.Json.Nodes.JsonNode.Parse(probed.Stdout);
        if (report is null)
        {
            return 1;
        }

        var cells = report["connections"]!.AsArray();
        var connected = cells.Count(c => (bool)c!["allowed"]!);
        var engineDenies = cells.Count(c => !(bool)c!["expected"]!);
        output.WriteLine($"   {cells.Count} connections in {clock.Elapsed.TotalSeconds:F1} s: {connected} got through.");
        output.WriteLine($"   The engine expects {cells.Count - engineDenies} to get through; the other {engineDenies} are denied by the shop's NetworkPolicies (enforced in nftables on each node) or reach a port nothing listens on.");
        var gap = report["mismatches"]!.AsArray().Count;
        output.WriteLine(gap == 0
            ? "   The lab agrees with the engine on every one."
            : $"   {gap} differ from the engine: maille probe --lab {Lab} lists them (a bug in the lab or the engine).");

        ShowServices(context, cluster);

        ShowLoadBalancerAndIngress(context, [.. cluster.Nodes.Select(n => n.Name)]);

        ShowPolicyChange(context);

        output.WriteLine();
        output.WriteLine($"The lab is still up. Explore it:");
        var sample = pods.First();
        output.WriteLine($"  ./maille exec --lab {Lab} {sample.QualifiedName} -- ip route");
        output.WriteLine($"  ./maille exec --lab {Lab} node/{cluster.Nodes[0].Name} -- ip route");
        output.WriteLine($"  ./maille probe --lab {Lab} -n shop-api");
        output.WriteLine($"  ./maille exec --lab {Lab} {sample.QualifiedName} -- getent hosts api.shop-api");
        output.WriteLine($"  ./maille trace --lab {Lab} --from external --to {cluster.Nodes[0].InternalIP}:30080");
        output.WriteLine($"  ./maille status --lab {Lab}");
        output.WriteLine($"  ./maille get netpol -A -o wide --lab {Lab}");
        output.WriteLine($"  ./maille ls");
        output.WriteLine($"Take it down: ./maille down --lab {Lab}");
        return 0;
    }

    /// <summary>
    /// Cluster DNS, a ClusterIP spread over its endpoints, and a NodePort on every node, with real requests through the
    /// nftables rules each node's agent programmed.
    /// </summary>
    [SupportedOSPlatform("linux")]
    private static void ShowServices(CliContext context, ManifestSet cluster)
    {
        var output = context.Stdout;
        var slicesByService = cluster.EndpointSlices.Where(s => s.ServiceName is not null).ToLookup(s => $"{s.Namespace}/{s.ServiceName}", StringComparer.Ordinal);
        var podsByName = cluster.Pods.ToDictionary(p => p.QualifiedName, StringComparer.Ordinal);
        var service = cluster.Services.Where(s => !IsSystem(s.Namespace)).FirstOrDefault(s => s.Type == ServiceType.ClusterIP && s.ClusterIP is not null && !s.Headless
            && s.Ports.Any(p => p.Protocol == Protocol.TCP) && slicesByService[s.QualifiedName].Sum(x => x.Endpoints.Count) > 1);
        var endpoints = service is null ? [] : slicesByService[service.QualifiedName].SelectMany(s => s.Endpoints)
            .Select(e => e.TargetPod is { } name && podsByName.TryGetValue(name, out var pod) ? pod : null).OfType<Pod>().ToList();
        var client = UserPods(cluster).Where(p => !p.Spec.HostNetwork && p.Status.PodIP is not null).FirstOrDefault(p => service is not null && p.Namespace != service.Namespace
            && endpoints.All(e => Allowed(context, p, e, e.Spec.AllPorts.First(x => x.Protocol == Protocol.TCP).Port)));
        var dns = cluster.Services.FirstOrDefault(s => s.Namespace == "kube-system" && s.Name == Engine.Dns.SystemManifests.DnsServiceName)?.ClusterIP;
        if (service is null || client is null)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("5. Services: cluster DNS, a ClusterIP spread over its endpoints, NodePorts on every node (nftables on each node)");
        var name = $"{service.Name}.{service.Namespace}";
        var resolved = Resolve(client, name);
        output.WriteLine($"   {client.QualifiedName} looks up {name}: {resolved} (cluster DNS at {dns}, served by the kube-system coredns pods)");
        var port = service.Ports.First(p => p.Protocol == Protocol.TCP).Port;
        var ns = LabNamespaces.Pod(Lab, client.QualifiedName);
        var answers = Enumerable.Range(0, 8).Select(_ => LabNamespaces.HttpGet(ns, service.ClusterIP!, port, "/hostname", TimeSpan.FromSeconds(3)).Body).ToList();
        output.WriteLine($"   8 requests to {service.ClusterIP}:{port} ({name}) were answered by: {string.Join(", ", answers.GroupBy(a => a).Select(g => $"{g.Key} ×{g.Count()}"))}");

        var nodePort = cluster.Services.SelectMany(s => s.Ports.Where(p => p.NodePort is not null && p.Protocol == Protocol.TCP).Select(p => (Service: s, Port: p)))
            .FirstOrDefault(x => x.Service.Type == ServiceType.NodePort);
        if (nodePort.Service is null)
        {
            return;
        }

        var external = LabNamespaces.External(Lab);
        foreach (var node in cluster.Nodes)
        {
            try
            {
                var (status, body) = LabNamespaces.HttpGet(external, node.InternalIP!, nodePort.Port.NodePort!.Value, "/hostname", TimeSpan.FromSeconds(3));
                output.WriteLine($"   external → {node.InternalIP}:{nodePort.Port.NodePort} (NodePort of {nodePort.Service.QualifiedName}, on {node.Name}): {status[(status.IndexOf(' ', StringComparison.Ordinal) + 1)..]}, answered by {body}");
            }
            catch (System.Net.Sockets.SocketException e)
            {
                output.WriteLine($"   external → {node.InternalIP}:{nodePort.Port.NodePort} (NodePort of {nodePort.Service.QualifiedName}, on {node.Name}): refused ({e.SocketErrorCode}: the endpoint's NetworkPolicy does not admit it)");
            }
        }
    }

    /// <summary>
    /// LoadBalancer addresses reached from outside, the Ingress routing by host and path behind its own LoadBalancer
    /// address, and that address surviving its announcing node's failure.
    /// </summary>
    [SupportedOSPlatform("linux")]
    private static void ShowLoadBalancerAndIngress(CliContext context, IReadOnlyList<string> nodes)
    {
        var output = context.Stdout;
        var live = LabObjects.Read(context, Lab, ResourceKind.Services, ResourceKind.Ingresses);
        if (live is null)
        {
            return;
        }

        var controller = live.Services.FirstOrDefault(s => s.Namespace == Engine.Ingresses.MailleIngressController.Namespace && s.Name == Engine.Ingresses.MailleIngressController.ServiceName);
        var balanced = live.Services.Where(s => s.Type == ServiceType.LoadBalancer && !s.LoadBalancerIngress.IsEmpty && s != controller).ToList();
        if (balanced.Count == 0 && controller is null)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("6. LoadBalancer addresses (announced by one node with ARP) and the Ingress controller, from outside");
        var external = LabNamespaces.External(Lab);
        foreach (var service in balanced)
        {
            var port = service.Ports.First(p => p.Protocol == Protocol.TCP).Port;
            var (status, body) = LabNamespaces.HttpGet(external, IPAddress.Parse(service.LoadBalancerIngress[0]), port, "/clientip", TimeSpan.FromSeconds(3));
            output.WriteLine($"   external → {service.LoadBalancerIngress[0]}:{port} ({service.QualifiedName}, externalTrafficPolicy {service.ExternalTrafficPolicy}): {status[(status.IndexOf(' ', StringComparison.Ordinal) + 1)..]}, the pod saw the caller as {body}");
        }

        if (controller is null || controller.LoadBalancerIngress.IsEmpty)
        {
            return;
        }

        var address = controller.LoadBalancerIngress[0];
        var routes = live.Ingresses.SelectMany(i => i.Rules.Where(r => r.Host is not null && !r.Host.StartsWith('*')).SelectMany(r => r.Paths.Select(p => (Host: r.Host!, Path: p.Path ?? "/")))).Distinct().Take(3).ToList();
        var working = new List<(string Host, string Path)>();
        foreach (var (host, path) in routes)
        {
            var (status, body) = Curl(address, host, path);
            var pod = body.Contains("\"pod\"", StringComparison.Ordinal) ? System.Text.Json.Nodes.JsonNode.Parse(body)?["pod"]?.ToString()
                : status == "502" ? "the backend's NetworkPolicy refuses the controller pods (see maille trace --to http://" + host + path + ")" : body.Trim();
            output.WriteLine($"   curl -H 'Host: {host}' http://{address}{path} (through {controller.QualifiedName}): HTTP {status}, {pod}");
            if (status == "200")
            {
                working.Add((host, path));
            }
        }

        var owner = AnnouncingNode(nodes, IPAddress.Parse(address));
        if (owner is null || working.Count == 0)
        {
            return;
        }

        routes = working;

        output.WriteLine($"   {address} is announced by {owner}; stopping {owner} (maille node stop)…");
        using var client = LabApi.Connect(context, Lab);
        client?.SendAsync(HttpMethod.Post, $"/apis/{Maille.Lab.Api.LabApiServer.MailleGroup}/nodes/{owner}/stop", "").GetAwaiter().GetResult();
        var clock = Stopwatch.StartNew();
        var answered = false;
        var requests = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && !answered)
        {
            requests++;
            answered = Curl(address, routes[0].Host, routes[0].Path, timeoutSeconds: 1).Status == "200";
        }

        var now = AnnouncingNode(nodes, IPAddress.Parse(address));
        output.WriteLine(answered
            ? $"   {address} answered again {clock.ElapsedMilliseconds} ms later (request {requests}; each waits up to 1 s), now announced by {now}"
            : $"   {address} did not answer within 10 s of {owner}'s failure ({requests} requests)");
        client?.SendAsync(HttpMethod.Post, $"/apis/{Maille.Lab.Api.LabApiServer.MailleGroup}/nodes/{owner}/start", "").GetAwaiter().GetResult();
        output.WriteLine($"   {owner} is back (maille node start).");
    }

    /// <summary>
    /// NetworkPolicy on real packets, changed live: a connection from an Ingress controller pod to an api pod is refused
    /// (the shop admits only frontend pods), <c>maille trace</c> names the rule that rejected it, then
    /// <see cref="PolicyChange"/> is applied exactly as <c>maille apply</c> applies it, the same connection succeeds,
    /// the Ingress route that answered 502 answers 200, and the new rule's counter shows the connections it allowed.
    /// </summary>
    [SupportedOSPlatform("linux")]
    private static void ShowPolicyChange(CliContext context)
    {
        var output = context.Stdout;
        var before = LabObjects.Read(context, Lab, ResourceKind.Pods, ResourceKind.NetworkPolicies);
        if (before is null)
        {
            return;
        }

        var controller = before.Pods.FirstOrDefault(p => Engine.Ingresses.IngressControllerManifests.IsControllerPod(p) && p.Status.Ready == true && p.Status.PodIP is not null);
        var api = before.Pods.Where(p => p.Namespace == "shop-api" && p.Labels.Get("app") == "api" && p.Status.PodIP is not null && p.Spec.NodeName != controller?.Spec.NodeName)
            .Concat(before.Pods.Where(p => p.Namespace == "shop-api" && p.Labels.Get("app") == "api" && p.Status.PodIP is not null)).FirstOrDefault();
        var port = api?.Spec.AllPorts.FirstOrDefault(p => p.Name == "http")?.Port;
        if (controller is null || api is null || port is null || !File.Exists(PolicyChange) || before.NetworkPolicies.Any(p => p.Namespace == "shop-api" && p.Meta.Name == PolicyChangeName))
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("7. NetworkPolicy on real packets, changed live: refused, a policy applied (maille apply), then allowed");
        var pair = $"{controller.QualifiedName} ({controller.Status.PodIP}) → {api.QualifiedName} ({api.Status.PodIP}:{port})";
        output.WriteLine($"   {pair}: {Attempt(controller, api, port.Value)}");
        output.WriteLine($"   maille trace --lab {Lab} --from {controller.QualifiedName} --to {api.QualifiedName}:{port}: {IngressWalk(context, controller, api, port.Value)}");

        output.WriteLine($"   $ maille apply -f {PolicyChange} --lab {Lab}");
        var applied = new StringWriter();
        var code = ApplyCommand.Apply(context with { Stdout = applied }, Lab, [PolicyChange]);
        foreach (var line in applied.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            output.WriteLine($"   {line}");
        }

        if (code != 0)
        {
            return;
        }

        // The daemon answers once every node agent has applied the change, so the first attempt should already pass;
        // a few more (bounded) show it if it does not.
        var clock = Stopwatch.StartNew();
        var after = Attempt(controller, api, port.Value);
        var attempts = 1;
        for (; attempts < 10 && !after.StartsWith("200", StringComparison.Ordinal); attempts++)
        {
            Thread.Sleep(200);
            after = Attempt(controller, api, port.Value);
        }

        // A retry here would mean the change reached the rules after apply returned: say so, it is not expected.
        var retried = attempts == 1 ? "first attempt" : $"attempt {attempts}: the {attempts - 1} before it failed, though apply returns only once every node has the change";
        output.WriteLine($"   {pair}: {after} ({clock.ElapsedMilliseconds} ms after apply returned, {retried})");
        var now = LabObjects.Read(context, Lab, ResourceKind.Services, ResourceKind.Ingresses, ResourceKind.NetworkPolicies);
        if (now is null)
        {
            return;
        }

        output.WriteLine($"   maille trace: {IngressWalk(context, controller, api, port.Value)}");

        var ingressAddress = now.Services.FirstOrDefault(s => s.Namespace == Engine.Ingresses.MailleIngressController.Namespace && s.Name == Engine.Ingresses.MailleIngressController.ServiceName)?.LoadBalancerIngress is [var first, ..] ? first : null;
        var route = now.Ingresses.Where(i => i.Namespace == "shop-api").SelectMany(i => i.Rules.Where(r => r.Host is not null && !r.Host.StartsWith('*')).SelectMany(r => r.Paths.Select(p => (Host: r.Host!, Path: p.Path ?? "/")))).FirstOrDefault();
        if (ingressAddress is not null && route.Host is not null)
        {
            var (status, body) = Curl(ingressAddress, route.Host, route.Path);
            var pod = body.Contains("\"pod\"", StringComparison.Ordinal) ? System.Text.Json.Nodes.JsonNode.Parse(body)?["pod"]?.ToString() : body.Trim();
            output.WriteLine($"   curl -H 'Host: {route.Host}' http://{ingressAddress}{route.Path} (through the Ingress controller): HTTP {status}, {pod}");
        }

        var policy = now.NetworkPolicies.FirstOrDefault(p => p.Namespace == "shop-api" && p.Meta.Name == PolicyChangeName);
        if (policy is not null && PolicyCounterQuery.Fetch(context, Lab)?.Of(policy, PolicyDirection.Ingress, 0) is { } count)
        {
            output.WriteLine($"   shop-api/{PolicyChangeName} ingress rule 0 has allowed {count.Packets} connections so far (maille describe netpol {PolicyChangeName} -n shop-api --lab {Lab})");
        }
    }

    /// <summary>An HTTP request from <paramref name="from"/>'s namespace: <c>200 OK, answered by …</c> or <c>refused (…)</c>.</summary>
    [SupportedOSPlatform("linux")]
    private static string Attempt(Pod from, Pod to, int port)
    {
        var ns = LabNamespaces.Pod(Lab, from.QualifiedName);
        try
        {
            var (status, body) = LabNamespaces.HttpGet(ns, to.Status.PodIP!, port, "/hostname", TimeSpan.FromSeconds(2));
            return $"{status[(status.IndexOf(' ', StringComparison.Ordinal) + 1)..]}, answered by {body}";
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return $"refused ({e.SocketErrorCode})";
        }
        catch (TimeoutException)
        {
            return "no answer within 2 s";
        }
    }

    /// <summary>What the destination's node's policy table did, in the words of <c>maille trace --lab</c> (asked of the daemon, as that command does).</summary>
    private static string IngressWalk(CliContext context, Pod from, Pod to, int port)
    {
        var answer = LabViews.Ask(context, Lab, "trace", [("from", from.QualifiedName), ("to", $"{to.QualifiedName}:{port}"), ("output", "json")]);
        var json = answer is { ExitCode: 0 } ? System.Text.Json.Nodes.JsonNode.Parse(answer.Stdout) : null;
        var walk = json?["nftables"]?["policy"]?.AsArray().FirstOrDefault()?["walks"]?.AsArray().LastOrDefault();
        return walk is null ? "(no policy walk)" : $"{walk["node"]} {walk["verdict"]} it; {walk["ingress"]?["text"]}";
    }

    /// <summary>The node whose node-network interface holds <paramref name="address"/>.</summary>
    [SupportedOSPlatform("linux")]
    private static string? AnnouncingNode(IEnumerable<string> nodes, IPAddress address) =>
        nodes.FirstOrDefault(node =>
        {
            var start = new ProcessStartInfo("ip", ["-n", LabNamespaces.Node(Lab, node), "-4", "-o", "addr", "show", "eth0"]) { RedirectStandardOutput = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return text.Contains($"inet {address}/32", StringComparison.Ordinal);
        });

    /// <summary>An HTTP request from the outside client with curl: the status code and the body.</summary>
    [SupportedOSPlatform("linux")]
    private static (string Status, string Body) Curl(string address, string host, string path, int timeoutSeconds = 3)
    {
        var start = new ProcessStartInfo("ip", ["netns", "exec", LabNamespaces.External(Lab), "curl", "-s", "-m", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-H", $"Host: {host}", "-w", "\n%{http_code}", $"http://{address}{path}"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var cut = text.LastIndexOf('\n');
        return cut < 0 ? (text.Trim(), "") : (text[(cut + 1)..].Trim(), text[..cut]);
    }

    /// <summary>Resolves a name inside a pod as its programs do (getent: the pod's resolv.conf, search path and all).</summary>
    [SupportedOSPlatform("linux")]
    private static string Resolve(Pod pod, string name)
    {
        var start = new ProcessStartInfo("ip", ["netns", "exec", LabNamespaces.Pod(Lab, pod.QualifiedName), "getent", "hosts", name]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return text.Length == 0 ? "(no answer)" : text.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
    }

    [SupportedOSPlatform("linux")]
    private static int Up(CliContext context, string[] files)
    {
        if (new LabState(Lab).Exists || LabNamespaces.Count(Lab) > 0)
        {
            context.Stdout.WriteLine($"   (taking down the previous demo lab first: {LabTeardown.TakeDown(Lab)} namespaces removed)");
        }

        var missing = files.Where(f => !File.Exists(f) && !Directory.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            context.Stderr.WriteLine($"error: {string.Join(", ", missing)} not found: run the demo from the repository root, or give -f");
            return 1;
        }

        return UpCommand.Up(context, Lab, files, null, "routed", TimeSpan.FromSeconds(120), out _, printHints: false);
    }

    /// <summary>The user's pods (the steps show the shop, not the cluster DNS or the Ingress controller the lab adds).</summary>
    private static IEnumerable<Pod> UserPods(ManifestSet cluster) => cluster.Pods.Where(p => !IsSystem(p.Namespace));

    private static bool IsSystem(string? ns) => ns is "kube-system" or "maille-system";

    /// <summary>Whether the lab lets <paramref name="from"/> reach <paramref name="to"/>'s TCP port, as <c>maille trace --lab</c> judges it (the daemon's plan).</summary>
    private static bool Allowed(CliContext context, Pod from, Pod to, int port)
    {
        var answer = LabViews.Ask(context, Lab, "trace", [("from", from.QualifiedName), ("to", $"{to.QualifiedName}:{port}"), ("output", "json")]);
        return answer is { ExitCode: 0 } && System.Text.Json.Nodes.JsonNode.Parse(answer.Stdout)?["verdict"]?.ToString() == Engine.Trace.TraceResult.Allowed;
    }

    /// <summary>Pairs of pods on different nodes, the destination serving TCP, spread over the namespaces.</summary>
    [SupportedOSPlatform("linux")]
    private static IEnumerable<(Pod From, Pod To)> CrossNodePairs(List<Pod> pods, Func<Pod, Pod, int, bool> allowed)
    {
        var servers = pods.Where(p => p.Spec.Containers.Any(c => !Maille.Lab.Workloads.PodWorkloads.RunsOwnProgram(c) && c.Ports.Any(port => port.Protocol == Protocol.TCP))).ToList();
        foreach (var to in servers.DistinctBy(p => p.Namespace))
        {
            // Only pairs NetworkPolicy allows: the lab enforces the shop's policies, and this step shows plain pod networking.
            var port = to.Spec.AllPorts.First(p => p.Protocol == Protocol.TCP).Port;
            var from = pods.FirstOrDefault(p => p.Spec.NodeName != to.Spec.NodeName && p.Namespace != to.Namespace && allowed(p, to, port));
            if (from is not null)
            {
                yield return (from, to);
            }
        }
    }

    /// <summary>The policy change step 7 applies (relative to the repository root, where the demo runs).</summary>
    private const string PolicyChange = "examples/shop-changes/allow-api-from-ingress.yaml";

    private const string PolicyChangeName = "allow-api-from-ingress";
}
