using System.Net;
using System.Text.Json.Nodes;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Labs;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// Privileged: each test brings up a real lab with `./maille up` (its own lab name), and always takes it down. Tests
// that judge `down` itself (its exit code, what is left afterwards, two labs, a killed daemon) run up and down in their
// own try/finally; the others use the LiveLab harness.
// IP plan (defaults): nodes 198.18.0.11-13, pods of node k in 198.19.k.0/24, outside client 198.18.0.2.
// Playground: x/a 198.19.1.2, y/b 198.19.2.3 (pods placed and addressed by the engine as `maille get pods -o wide` prints).
public sealed class LabLifecycleTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string Pods = MailleProcess.Example("netpol-playground", "pods.yaml");

    [SkippableFact]
    public void The_playground_without_policies_is_all_allowed_with_real_packets_and_leaves_nothing_behind()
    {
        Privileged.Require();
        var before = HostNetworkSnapshot.Take();
        var lab = LiveLab.NewName();
        try
        {
            var up = MailleProcess.Run("up", "-f", Pods, "--lab", lab);
            Assert.True(up.ExitCode == 0, up.Stderr);
            Assert.Contains($"Lab {lab} is up", up.Stdout, StringComparison.Ordinal);

            var probe = MailleProcess.Run("probe", "--lab", lab, "-o", "json");
            Assert.True(probe.ExitCode == 0, probe.Stderr + probe.Stdout);
            var json = JsonNode.Parse(probe.Stdout)!;
            Assert.Equal(9, json["pods"]!.AsArray().Count);
            Assert.Equal(["80/TCP", "80/UDP", "81/TCP", "81/UDP"], json["ports"]!.AsArray().Select(p => (string?)p));
            var connections = json["connections"]!.AsArray();
            Assert.Equal(9 * 9 * 4, connections.Count);
            Assert.All(connections, c => Assert.True((bool)c!["allowed"]! && (bool)c["expected"]!, c.ToJsonString()));
            Assert.Empty(json["mismatches"]!.AsArray());
        }
        finally
        {
            MailleProcess.Run("down", "--lab", lab);
        }

        Assert.Empty(NetworkNamespace.List(LabNames.Prefix(lab)));
        Assert.False(new LabState(lab).Exists);
        Assert.Equal(before, HostNetworkSnapshot.Take());
    }

    [SkippableFact]
    public void Pods_see_the_true_source_pod_address_across_nodes_in_both_modes()
    {
        Privileged.Require();
        foreach (var mode in new[] { "routed", "vxlan" })
        {
            var lab = LiveLab.NewName();
            try
            {
                var up = MailleProcess.Run("up", "-f", Pods, "--lab", lab, "--mode", mode);
                Assert.True(up.ExitCode == 0, up.Stderr);

                // y/b (node-2) asks x/a (node-1) who is calling: no NAT between pods.
                var answer = PodHttp.Get(lab, from: "y/b", to: IPAddress.Parse("198.19.1.2"), port: 80, "/clientip");
                Assert.StartsWith("198.19.2.3:", answer, StringComparison.Ordinal);
                Assert.Equal("x/a", PodHttp.Get(lab, from: "y/b", to: IPAddress.Parse("198.19.1.2"), port: 81, "/hostname"));

                var exec = MailleProcess.Run("exec", "--lab", lab, "x/a", "--", "ip", "-4", "-o", "addr", "show", "eth0");
                Assert.True(exec.ExitCode == 0, exec.Stderr);
                Assert.Contains("198.19.1.2/32", exec.Stdout, StringComparison.Ordinal);
            }
            finally
            {
                MailleProcess.Run("down", "--lab", lab);
            }
        }
    }

    [SkippableFact]
    public void With_policies_enforced_probe_observes_exactly_the_engine_s_matrix()
    {
        Privileged.Require();
        using var lab = LiveLab.Create(output);
        var up = lab.Run("up", "-f", Pods, "-f", MailleProcess.Example("netpol-playground", "scenarios", "deny-all-ingress.yaml"));
        Assert.True(up.ExitCode == 0, up.Stderr);
        var probe = lab.Run("probe", "--port", "80/TCP", "-o", "json");
        Assert.True(probe.ExitCode == 0, probe.Stdout);
        var report = JsonNode.Parse(probe.Stdout)!;
        Assert.Empty(report["mismatches"]!.AsArray());

        // Every pod outside x, and x's other pods, are refused by x's pods (8 sources × 3 destinations), as the engine says.
        var denied = report["connections"]!.AsArray().Where(c => !(bool)c!["allowed"]!).ToList();
        Assert.Equal(24, denied.Count);
        Assert.All(denied, c => Assert.StartsWith("x/", (string?)c!["to"], StringComparison.Ordinal));
    }

    [SkippableFact]
    public void A_stopped_node_cuts_its_pods_off_and_starting_it_brings_them_back()
    {
        Privileged.Require();
        using var lab = LiveLab.Create(output);
        Assert.Equal(0, lab.Run("up", "-f", Pods).ExitCode);
        Assert.Equal(0, lab.Run("node", "stop", "node-2").ExitCode);
        var agents = lab.Run("status").Stdout;
        Assert.Matches(@"(?m)^node-2\s+Stopped\s", agents);
        Assert.Matches(@"(?m)^node-1\s+Running\s+[1-9]", agents);

        // The prober knows node-2 is stopped: pods there are expected to reach only each other, and do.
        var stopped = lab.Run("probe", "--port", "80/TCP", "--timeout", "300", "-o", "json");
        Assert.True(stopped.ExitCode == 0, stopped.Stdout);
        var cut = JsonNode.Parse(stopped.Stdout)!["connections"]!.AsArray().Where(c => !(bool)c!["allowed"]!).ToList();
        Assert.NotEmpty(cut);
        Assert.All(cut, c => Assert.Equal("timeout", (string?)c!["outcome"]));
        var failure = Record.Exception(() => PodHttp.Get(lab.Name, from: "x/a", to: IPAddress.Parse("198.19.2.3"), port: 80, "/hostname"));
        Assert.True(failure is TimeoutException or System.Net.Sockets.SocketException, $"expected no connection, got {failure}");

        Assert.Equal(0, lab.Run("node", "start", "node-2").ExitCode);
        Assert.Matches(@"(?m)^node-2\s+Running\s", lab.Run("status").Stdout);
        Assert.Equal("y/b", PodHttp.Get(lab.Name, from: "x/a", to: IPAddress.Parse("198.19.2.3"), port: 80, "/hostname"));
        var started = lab.Run("probe", "--port", "80/TCP", "-o", "json");
        Assert.True(started.ExitCode == 0, started.Stdout);
        Assert.All(JsonNode.Parse(started.Stdout)!["connections"]!.AsArray(), c => Assert.True((bool)c!["allowed"]!));
    }

    [SkippableFact]
    public void A_lab_brought_back_with_a_node_stopped_comes_up_and_keeps_the_node_stopped()
    {
        // Pods of a stopped node are not Ready (the agent's own pod too, with --agents process): `up` must not wait for
        // them. It once did, timed out, and took the whole lab down.
        Privileged.Require();
        using var lab = LiveLab.Create(output);
        Assert.Equal(0, lab.Run("up", "-f", Pods, "--agents", "process").ExitCode);
        Assert.Equal(0, lab.Run("node", "stop", "node-2").ExitCode);

        DaemonRestart.Kill(lab, output);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var again = lab.Run("up");
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("Node node-2 stays stopped", again.Stdout, StringComparison.Ordinal);
        output.WriteLine($"up with node-2 stopped: {clock.Elapsed.TotalSeconds:F1} s");

        var status = new LabState(lab.Name).ReadStatus()!;
        Assert.Equal(["node-2"], status.StoppedNodes);
        Assert.Contains("y/b", status.OnStoppedNodes);
        Assert.Contains(status.OnStoppedNodes, p => p.StartsWith("maille-system/maille-agent-", StringComparison.Ordinal));
        Assert.Matches(@"(?m)^node-2\s+Stopped\s", lab.Run("status").Stdout);

        // Started again: its pods come back, the agent's included.
        Assert.Equal(0, lab.Run("node", "start", "node-2").ExitCode);
        var ready = Poll.Until("every pod Ready once node-2 is started", () => new LabState(lab.Name).ReadReadiness(), r => r.Count > 0 && r.Values.All(v => v), output, TimeSpan.FromSeconds(30));
        Assert.True(ready.Met, ready.ToString());
    }

    [SkippableFact]
    public void Readiness_follows_probes_and_shows_in_get_and_endpoint_slices()
    {
        Privileged.Require();
        using var lab = LiveLab.Create(output);
        var flag = Path.Combine(lab.Folder, "ready");
        var manifest = Path.Combine(lab.Folder, "lab.yaml");
        File.WriteAllText(flag, "");
        File.WriteAllText(manifest, $$$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: web, labels: {app: web}}
            spec:
              nodeName: node-1
              containers:
              - name: c
                ports: [{name: http, containerPort: 8080}]
                readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: flag, labels: {app: web}}
            spec:
              nodeName: node-2
              containers:
              - name: c
                ports: [{containerPort: 8080}]
                readinessProbe: {exec: {command: [test, -e, {{{flag}}}]}, periodSeconds: 1, failureThreshold: 1}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
            """);
        var up = lab.Run("up", "-f", manifest, "--wait", "30");
        Assert.True(up.ExitCode == 0, up.Stderr);
        // AGE: the lab stamped the pod's creation time at up (seconds ago).
        Assert.Matches(@"(?m)^flag\s+1/1\s+Running\s+0\s+\d+s$", lab.Run("get", "pods").Stdout);

        File.Delete(flag);
        var notReady = Poll.Until("get pods shows flag 0/1", () => System.Text.RegularExpressions.Regex.IsMatch(lab.Run("get", "pods").Stdout, @"(?m)^flag\s+0/1"), output);
        Assert.True(notReady.Met, "flag never became not ready: " + notReady);
        var slices = JsonNode.Parse(lab.Run("get", "endpointslices", "-o", "json").Stdout)!["items"]!.AsArray();
        var conditions = slices.SelectMany(s => s!["endpoints"]!.AsArray()).ToDictionary(e => (string)e!["targetRef"]!["name"]!, e => (bool)e!["conditions"]!["ready"]!);
        Assert.Equal(new Dictionary<string, bool> { ["flag"] = false, ["web"] = true }, conditions);

        File.WriteAllText(flag, "");
        var readyAgain = Poll.Until("get pods shows flag 1/1", () => System.Text.RegularExpressions.Regex.IsMatch(lab.Run("get", "pods").Stdout, @"(?m)^flag\s+1/1"), output);
        Assert.True(readyAgain.Met, "flag never became ready again: " + readyAgain);
    }

    [SkippableFact]
    public async Task The_daemon_answers_a_kubernetes_shaped_api_and_watch_streams_changes()
    {
        Privileged.Require();
        using var lab = LiveLab.Create(output);
        var flag = Path.Combine(lab.Folder, "ready");
        var manifest = Path.Combine(lab.Folder, "lab.yaml");
        File.WriteAllText(flag, "");
        File.WriteAllText(manifest, $"apiVersion: v1\nkind: Pod\nmetadata: {{name: flag, namespace: default}}\nspec:\n  containers:\n  - name: c\n    readinessProbe: {{exec: {{command: [test, -e, {flag}]}}, periodSeconds: 1, failureThreshold: 1}}\n");
        Assert.Equal(0, lab.Run("up", "-f", manifest).ExitCode);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancel) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(new LabState(lab.Name).ApiSocket), cancel);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = new Uri("http://lab") };

        var list = JsonNode.Parse(await client.GetStringAsync("/api/v1/namespaces/default/pods"))!;
        Assert.Equal("PodList", (string?)list["kind"]);
        Assert.Equal("flag", (string?)list["items"]![0]!["metadata"]!["name"]);
        var missing = await client.GetAsync("/api/v1/namespaces/default/pods/nope");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("pods \"nope\" not found", (string?)JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["message"]);

        using var watch = await client.GetStreamAsync("/api/v1/namespaces/default/pods?watch=true");
        using var reader = new StreamReader(watch);
        var added = JsonNode.Parse((await reader.ReadLineAsync())!)!;
        Assert.Equal("ADDED", (string?)added["type"]);
        File.Delete(flag);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var modified = JsonNode.Parse((await reader.ReadLineAsync(timeout.Token))!)!;
        Assert.Equal("MODIFIED", (string?)modified["type"]);
        var ready = modified["object"]!["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Ready")!;
        Assert.Equal("False", (string?)ready["status"]);
    }

    [SkippableFact]
    public async Task Down_stops_the_daemon_with_sigterm_while_a_watch_is_attached()
    {
        Privileged.Require();
        var lab = LiveLab.NewName();
        var manifest = Path.Combine(Path.GetTempPath(), $"{lab}.yaml");
        File.WriteAllText(manifest, "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: c\n    ports: [{containerPort: 8080}]\n");
        try
        {
            Assert.Equal(0, MailleProcess.Run("up", "-f", manifest, "--lab", lab).ExitCode);
            using var client = ApiClient(lab);
            using var watch = await client.GetStreamAsync("/api/v1/pods?watch=true");
            using var reader = new StreamReader(watch);
            Assert.Equal("ADDED", (string?)JsonNode.Parse((await reader.ReadLineAsync())!)!["type"]);

            // down sends SIGTERM and waits 5 s before SIGKILL: the attached watch must not hold the daemon that long.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(0, MailleProcess.Run("down", "--lab", lab).ExitCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4.5), $"down took {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            MailleProcess.Run("down", "--lab", lab);
            File.Delete(manifest);
        }

        Assert.Empty(NetworkNamespace.List(LabNames.Prefix(lab)));
    }

    [SkippableFact]
    public void A_pod_whose_probe_never_passes_makes_up_fail_clearly_and_leave_nothing()
    {
        Privileged.Require();
        using var lab = LiveLab.Create(output);
        var manifest = Path.Combine(lab.Folder, "lab.yaml");
        File.WriteAllText(manifest, "apiVersion: v1\nkind: Pod\nmetadata: {name: never}\nspec:\n  containers:\n  - name: c\n    ports: [{containerPort: 8080}]\n    readinessProbe: {tcpSocket: {port: 9999}, periodSeconds: 1}\n");
        // Long enough for the daemon to be Ready on a loaded machine, so that what fails is the probe.
        var up = lab.Run("up", "-f", manifest, "--wait", "10");
        Assert.Equal(1, up.ExitCode);
        Assert.Contains("readiness probes still fail for default/never", up.Stderr, StringComparison.Ordinal);
        Assert.Empty(NetworkNamespace.List(LabNames.Prefix(lab.Name)));
    }

    [SkippableFact]
    public void Two_labs_run_side_by_side_without_interfering()
    {
        Privileged.Require();
        var first = LiveLab.NewName();
        var second = LiveLab.NewName();
        try
        {
            Assert.Equal(0, MailleProcess.Run("up", "-f", Pods, "--lab", first).ExitCode);
            Assert.Equal(0, MailleProcess.Run("up", "-f", Pods, "--lab", second).ExitCode);
            Assert.Equal(0, MailleProcess.Run("probe", "--lab", first, "--port", "80/TCP").ExitCode);
            Assert.Equal(0, MailleProcess.Run("down", "--lab", first).ExitCode);
            Assert.Empty(NetworkNamespace.List(LabNames.Prefix(first)));
            Assert.Equal(0, MailleProcess.Run("probe", "--lab", second, "--port", "80/TCP").ExitCode);
        }
        finally
        {
            MailleProcess.Run("down", "--lab", first);
            MailleProcess.Run("down", "--lab", second);
        }
    }

    [SkippableFact]
    public void After_kill_9_of_the_daemon_up_restarts_it_and_down_still_removes_everything()
    {
        Privileged.Require();
        var before = HostNetworkSnapshot.Take();
        var lab = LiveLab.NewName();
        try
        {
            Assert.Equal(0, MailleProcess.Run("up", "-f", Pods, "--lab", lab).ExitCode);
            var pid = new LabState(lab).ReadPid()!.Value;
            using (var daemon = System.Diagnostics.Process.GetProcessById(pid))
            {
                daemon.Kill(entireProcessTree: true);
                daemon.WaitForExit(TimeSpan.FromSeconds(10));
            }

            Assert.NotEmpty(NetworkNamespace.List(LabNames.Prefix(lab)));
            var ls = MailleProcess.Run("ls");
            Assert.Matches($@"(?m)^{lab}\s+Stopped", ls.Stdout);

            // `up` without -f restarts the daemon from the saved state, and the lab answers again.
            var restart = MailleProcess.Run("up", "--lab", lab);
            Assert.True(restart.ExitCode == 0, restart.Stderr);
            Assert.Contains("Restarting lab", restart.Stderr, StringComparison.Ordinal);
            Assert.Equal(0, MailleProcess.Run("probe", "--lab", lab, "--port", "80/TCP").ExitCode);
            using (var again = System.Diagnostics.Process.GetProcessById(new LabState(lab).ReadPid()!.Value))
            {
                again.Kill(entireProcessTree: true);
                again.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            Assert.Equal(0, MailleProcess.Run("down", "--lab", lab).ExitCode);
        }

        Assert.Empty(NetworkNamespace.List(LabNames.Prefix(lab)));
        Assert.False(new LabState(lab).Exists);
        Assert.Equal(before, HostNetworkSnapshot.Take());
    }

    [SkippableFact]
    public void After_kill_9_of_the_daemon_down_kills_the_programs_it_left_in_the_lab()
    {
        Privileged.Require();
        var lab = LiveLab.NewName();
        var manifest = Path.Combine(Path.GetTempPath(), $"{lab}.yaml");
        File.WriteAllText(manifest, "apiVersion: v1\nkind: Pod\nmetadata: {name: sleeper}\nspec:\n  containers:\n  - name: sleep\n    command: [sleep, \"3600\"]\n  - name: web\n    ports: [{containerPort: 8080}]\n");
        List<int> left;
        try
        {
            var up = MailleProcess.Run("up", "-f", manifest, "--lab", lab);
            Assert.True(up.ExitCode == 0, up.Stderr);

            // A crash: only the daemon dies (no process-tree kill), so its program lives on in the pod's namespace.
            var pid = new LabState(lab).ReadPid()!.Value;
            using (var kill = System.Diagnostics.Process.Start("kill", ["-9", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            var exited = Poll.Until($"process {pid} has exited", () => !File.Exists($"/proc/{pid}/cmdline") || File.ReadAllText($"/proc/{pid}/cmdline").Length == 0, output);
            Assert.True(exited.Met, exited.ToString());
            left = [.. NetworkNamespace.List(LabNames.Prefix(lab)).SelectMany(NetnsPids)];
            Assert.Contains(left, p => CommandLine(p) == "sleep 3600");
        }
        finally
        {
            Assert.Equal(0, MailleProcess.Run("down", "--lab", lab).ExitCode);
            File.Delete(manifest);
        }

        Assert.All(left, p => Assert.True(CommandLine(p) is null or "", $"pid {p} ({CommandLine(p)}) outlived down"));
        Assert.Empty(NetworkNamespace.List(LabNames.Prefix(lab)));
        Assert.False(new LabState(lab).Exists);
    }

    [SkippableFact]
    public void A_failed_up_leaves_nothing_behind()
    {
        Privileged.Require();
        var lab = LiveLab.NewName();
        var invalidFile = Path.Combine(Path.GetTempPath(), $"{lab}-invalid.yaml");
        try
        {
            var timedOut = MailleProcess.Run("up", "-f", Pods, "--lab", lab, "--wait", "0");
            Assert.Equal(1, timedOut.ExitCode);
            Assert.Contains("did not come up", timedOut.Stderr, StringComparison.Ordinal);
            Assert.Empty(NetworkNamespace.List(LabNames.Prefix(lab)));
            Assert.False(new LabState(lab).Exists);

            File.WriteAllText(invalidFile, "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  ports: [{port: 80, nodePort: 40000}]\n");
            var invalid = MailleProcess.Run("up", "-f", invalidFile, "--lab", lab);
            Assert.Equal(1, invalid.ExitCode);
            Assert.Contains("provided port is not in the valid range 30000-32767", invalid.Stderr, StringComparison.Ordinal);
            Assert.Empty(NetworkNamespace.List(LabNames.Prefix(lab)));
            Assert.False(new LabState(lab).Exists);
        }
        finally
        {
            File.Delete(invalidFile);
            MailleProcess.Run("down", "--lab", lab);
        }
    }

    [SkippableFact]
    public void The_demo_shows_real_traffic_and_leaves_its_lab_up()
    {
        Privileged.Require();
        try
        {
            var demo = MailleProcess.Run("demo");
            Assert.True(demo.ExitCode == 0, demo.Stderr + demo.Stdout);
            Assert.Matches(@"→ shop-api/api-\S+ \(198\.19\.\d+\.\d+:8080, node-\d\): 200 OK, it saw the caller as 198\.19\.", demo.Stdout);
            Assert.Matches(@"answered by shop-web/node-exporter-", demo.Stdout);
            Assert.Contains("The lab agrees with the engine on every one.", demo.Stdout, StringComparison.Ordinal);
            Assert.Matches(@"looks up api\.shop-api: 198\.18\.\d+\.\d+ \(cluster DNS", demo.Stdout);
            Assert.Matches(@"8 requests to 198\.18\.\d+\.\d+:80 \(api\.shop-api\) were answered by: shop-api/api-", demo.Stdout);
            Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(demo.Stdout, @"external → 198\.18\.0\.1\d:30080 \(NodePort of shop-api/api-debug, on node-\d\): refused \(HostUnreachable: the endpoint's NetworkPolicy does not admit it\)"));
            Assert.Matches(@"external → 198\.18\.0\.2\d\d:80 \(shop-web/frontend, externalTrafficPolicy Local\): 200 OK, the pod saw the caller as 198\.18\.0\.2:", demo.Stdout);
            Assert.Matches(@"curl -H 'Host: shop\.example' http://198\.18\.0\.2\d\d/api \(through maille-system/maille-ingress\): HTTP 502, the backend's NetworkPolicy refuses the controller pods", demo.Stdout);
            Assert.Matches(@"curl -H 'Host: shop\.example' http://198\.18\.0\.2\d\d/ \(through maille-system/maille-ingress\): HTTP 200, shop-web/frontend-", demo.Stdout);
            Assert.Matches(@"answered again \d+ ms later \(request \d+; each waits up to 1 s\), now announced by node-\d", demo.Stdout);

            // NetworkPolicy changed live: refused, the rule that rejected it named, the change applied, the same connection allowed.
            Assert.Matches(@"\n   maille-system/maille-ingress-\S+ \(198\.19\.\d+\.\d+\) → shop-api/api-\S+ \(198\.19\.\d+\.\d+:8080\): refused \(HostUnreachable\)\n", demo.Stdout);
            Assert.Matches(@"node-\d rejected it; ingress of shop-api/api-\S+: denied at ingress-[0-9a-f]+#\d+: no rule of shop-api/allow-api-from-frontend, shop-api/default-deny-ingress allows it\n", demo.Stdout);
            Assert.Contains("   $ maille apply -f examples/shop-changes/allow-api-from-ingress.yaml --lab demo\n   networkpolicy.networking.k8s.io/allow-api-from-ingress created\n", demo.Stdout, StringComparison.Ordinal);
            // apply returns once every node has the change: the first attempt passes, and a retry would be reported.
            Assert.Matches(@"\(198\.19\.\d+\.\d+:8080\): 200 OK, answered by shop-api/api-\S+ \(\d+ ms after apply returned, first attempt\)\n", demo.Stdout);
            Assert.Matches(@"node-\d accepted it; ingress of shop-api/api-\S+: allowed by shop-api/allow-api-from-ingress ingress rule 0 port 0 at ingress-[0-9a-f]+#\d+\n", demo.Stdout);
            Assert.Matches(@"\(through the Ingress controller\): HTTP 200, shop-api/api-", demo.Stdout);
            var counted = System.Text.RegularExpressions.Regex.Match(demo.Stdout, @"shop-api/allow-api-from-ingress ingress rule 0 has allowed (\d+) connections so far");
            Assert.True(counted.Success, demo.Stdout);
            Assert.True(int.Parse(counted.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 2, "the direct connection and the one through the Ingress");
            Assert.True(new LabState("demo").DaemonAlive());
        }
        finally
        {
            MailleProcess.Run("down", "--lab", "demo");
        }

        Assert.Empty(NetworkNamespace.List(LabNames.Prefix("demo")));
    }

    /// <summary>Polls a condition for up to 15 s (probes run every second).</summary>
    private static HttpClient ApiClient(string lab) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancel) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(new LabState(lab).ApiSocket), cancel);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = new Uri("http://lab") };

    private static IEnumerable<int> NetnsPids(string ns)
    {
        using var ip = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ip", ["netns", "pids", ns]) { RedirectStandardOutput = true })!;
        var output = ip.StandardOutput.ReadToEnd();
        ip.WaitForExit();
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>A process's arguments joined by spaces; null once it is gone (a zombie's is empty).</summary>
    private static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
