using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// The machine's kubectl against a running lab (issue 15): apply with the API server's validation (Strict, Warn and
/// Ignore), every patch type, optimistic concurrency, server-side dry runs, scale and explain, exec (with stdin and a
/// terminal), logs (followed too) and port-forward. Each test has its own lab, taken down whatever
/// happens.
/// </summary>
public sealed class KubectlTests(ITestOutputHelper output)
{
    /// <summary>The web app (<see cref="WebApp"/>): Deployment web of two pods behind the Service web, in namespace web.</summary>
    private static readonly string Web = new WebApp().Yaml;

    private const string GatewayClassWithTypo = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: typo}
        spec: {controllerNam: maille.dev/gateway-controller}
        """;

    private const string PodWithTypo = """
        apiVersion: v1
        kind: Pod
        metadata: {name: typo, namespace: web}
        spec:
          containers:
          - {name: c, image: maille/agnhost, portz: [{containerPort: 80}]}
        """;

    private const string Talker = """
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: talker, namespace: web}
        spec:
          containers:
          - {name: talk, image: busybox, command: [sh, -c, "echo started; echo to-stderr >&2; sleep 3600"]}
        """;

    [SkippableFact]
    public async Task Exec_runs_in_the_pod_with_its_exit_code_and_stdin_and_logs_show_requests_and_program_output()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Web + "\n" + Talker, output);
        var kubectl = new Kubectl(lab, output);
        var pods = kubectl.Succeed("get", "pods", "-n", "web", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}").Split(' ');
        var client = kubectl.Succeed("get", "pod", pods[0], "-n", "web", "-o", "jsonpath={.status.podIP}");
        var server = kubectl.Succeed("get", "pod", pods[1], "-n", "web", "-o", "jsonpath={.status.podIP}");

        var failing = kubectl.Run("exec", pods[0], "-n", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        var inside = kubectl.Succeed("exec", pods[0], "-n", "web", "--", "ip", "-4", "-o", "addr", "show", "eth0");
        var echoed = kubectl.RunWithInput("hello from stdin\n", "exec", "-i", pods[0], "-n", "web", "--", "cat");
        var fetched = kubectl.Succeed("exec", pods[0], "-n", "web", "--", "curl", "-s", $"http://{server}/hostname");
        var requestLog = kubectl.Succeed("logs", pods[1], "-n", "web");
        var terminal = kubectl.RunInTerminal("exec", "-i", "-t", pods[0], "-n", "web", "--", "sh", "-c", "tty; exit 4");
        var noTerminal = kubectl.Run("exec", pods[0], "-n", "web", "--", "tty");

        // -f follows: a request made once kubectl printed the log so far comes as it is answered.
        string followedBefore, followedAfter;
        using (var follower = kubectl.Start(new Dictionary<string, string>(), "logs", "-f", pods[1], "-n", "web"))
        {
            var printed = await Poll.UntilAsync("kubectl logs -f printed the log so far", () => Task.FromResult(follower.Stdout.Contains("/hostname", StringComparison.Ordinal)), output);
            Assert.True(printed.Met, printed.ToString());
            followedBefore = follower.Stdout;
            kubectl.Succeed("exec", pods[0], "-n", "web", "--", "curl", "-s", "-o", "/dev/null", $"http://{server}/followed-by-logs");
            var followed = await Poll.UntilAsync("kubectl logs -f prints the next request", () => Task.FromResult(follower.Stdout.Contains("/followed-by-logs", StringComparison.Ordinal)), output);
            Assert.True(followed.Met, followed.ToString());
            followedAfter = follower.Stdout;
            Assert.Null(await follower.ExitAsync(TimeSpan.Zero));   // still following
        }

        var programLog = await Poll.UntilAsync("the talker's output is in its log", () => Task.FromResult(kubectl.Run("logs", "talker", "-n", "web").Stdout.Contains("to-stderr", StringComparison.Ordinal)), output);
        var tail = kubectl.Succeed("logs", "talker", "-n", "web", "--tail=1", "--timestamps");

        Assert.Equal(3, failing.ExitCode);
        Assert.Equal("out\n", failing.Stdout);
        Assert.Contains("err", failing.Stderr, StringComparison.Ordinal);
        Assert.Contains($"inet {client}/32", inside, StringComparison.Ordinal);
        Assert.Equal(0, echoed.ExitCode);
        Assert.Equal("hello from stdin\n", echoed.Stdout);
        Assert.Equal($"web/{pods[1]}", fetched);
        Assert.Contains("\"GET /hostname HTTP/1.1\" 200", requestLog, StringComparison.Ordinal);
        // -it: the command has a terminal (kubectl gives one only with stdin) (script's, in the pod's namespace), and its exit code still comes back.
        Assert.Equal(4, terminal.ExitCode);
        Assert.Matches(@"/dev/pts/\d+\r\n", terminal.Output);   // (after the terminal's echo of what kubectl sent, if any)
        Assert.DoesNotContain("not a tty", terminal.Output, StringComparison.Ordinal);
        Assert.Equal(1, noTerminal.ExitCode);
        Assert.Contains("not a tty", noTerminal.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("/followed-by-logs", followedBefore, StringComparison.Ordinal);
        Assert.StartsWith(followedBefore, followedAfter, StringComparison.Ordinal);
        Assert.True(programLog.Met, programLog.ToString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (started|to-stderr)\n$", tail);
    }

    [SkippableFact]
    public async Task PortForward_reaches_a_pod_a_service_and_a_deployment_two_connections_at_once_over_WebSocket_and_SPDY_and_reports_a_closed_port()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Web, output);
        var kubectl = new Kubectl(lab, output);
        var pods = kubectl.Succeed("get", "pods", "-n", "web", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}").Split(' ');
        var names = pods.Select(pod => $"web/{pod}").ToHashSet();
        Dictionary<string, string> spdyOnly = new() { ["KUBECTL_PORT_FORWARD_WEBSOCKETS"] = "false" };

        string[] byPod, byService, byDeployment;
        using (var forward = kubectl.Start(new Dictionary<string, string>(), "port-forward", "-n", "web", $"pod/{pods[0]}", ":80", "-v=4"))
        {
            var port = await forward.LocalPortAsync();
            byPod = await Task.WhenAll(HostnameAsync(port), HostnameAsync(port));
            Assert.Contains("negotiated protocol: portforward.k8s.io", forward.Stderr, StringComparison.Ordinal);
        }

        using (var forward = kubectl.Start(new Dictionary<string, string>(), "port-forward", "-n", "web", "svc/web", ":80"))
        {
            byService = [await HostnameAsync(await forward.LocalPortAsync())];
        }

        using (var forward = kubectl.Start(spdyOnly, "port-forward", "-n", "web", "deploy/web", ":80", "-v=4"))
        {
            var port = await forward.LocalPortAsync();
            byDeployment = await Task.WhenAll(HostnameAsync(port), HostnameAsync(port));
            Assert.DoesNotContain("negotiated protocol", forward.Stderr, StringComparison.Ordinal);
        }

        using var closed = kubectl.Start(new Dictionary<string, string>(), "port-forward", "-n", "web", $"pod/{pods[0]}", ":81");
        var closedPort = await closed.LocalPortAsync();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => HostnameAsync(closedPort));
        var exit = await closed.ExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal([$"web/{pods[0]}", $"web/{pods[0]}"], byPod);
        Assert.Subset(names, byService.ToHashSet());
        Assert.Subset(names, byDeployment.ToHashSet());

        // kubectl 1.32 prints the error the lab wrote on the error stream, then closes the whole session itself
        // (client-go's handleConnection: "lost connection to pod"), as it does against a cluster.
        Assert.Contains($"an error occurred forwarding {closedPort} -> 81: error forwarding port 81 to pod web/{pods[0]}: ", closed.Stderr, StringComparison.Ordinal);
        Assert.Contains("Connection refused", closed.Stderr, StringComparison.Ordinal);
        Assert.Contains("lost connection to pod", closed.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, exit);
    }

    /// <summary>GET /hostname through a forwarded local port, on a connection of its own that closes after it.</summary>
    private static async Task<string> HostnameAsync(int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/hostname");
        request.Headers.ConnectionClose = true;
        using var response = await client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    [SkippableFact]
    public void Apply_refuses_unknown_fields_strictly_warns_when_asked_and_creates_configures_and_dry_runs()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Web, output);
        var kubectl = new Kubectl(lab, output);

        var strict = kubectl.RunWithInput(PodWithTypo, "apply", "-f", "-");
        var absent = kubectl.Run("get", "pod", "typo", "-n", "web");
        var warned = kubectl.RunWithInput(PodWithTypo, "apply", "--validate=warn", "-f", "-");
        var ignored = kubectl.RunWithInput(PodWithTypo.Replace("name: typo", "name: quiet", StringComparison.Ordinal), "apply", "--validate=false", "-f", "-");
        var ignoredField = kubectl.Succeed("get", "pod", "quiet", "-n", "web", "-o", "jsonpath={.spec.containers[0]}");
        var created = kubectl.RunWithInput(WebApp.Service("api", "[{port: 80}]"), "apply", "-f", "-");
        var unchanged = kubectl.RunWithInput(WebApp.Service("api", "[{port: 80}]"), "apply", "-f", "-");
        var configured = kubectl.RunWithInput(WebApp.Service("api", "[{name: http, port: 80}, {name: tls, port: 443}]"), "apply", "-f", "-");
        var ports = kubectl.Succeed("get", "svc", "api", "-n", "web", "-o", "jsonpath={.spec.ports[*].port}");
        var dryRun = kubectl.RunWithInput(WebApp.Service("dry", "[{port: 80}]"), "apply", "--dry-run=server", "-f", "-", "-o", "jsonpath={.spec.clusterIP}");
        var notKept = kubectl.Run("get", "svc", "dry", "-n", "web");
        var strictCustom = kubectl.RunWithInput(GatewayClassWithTypo, "apply", "-f", "-");
        var absentCustom = kubectl.Run("get", "gatewayclass", "typo");

        Assert.NotEqual(0, strict.ExitCode);
        Assert.Contains("strict decoding error: unknown field \"spec.containers[0].portz\"", strict.Stderr, StringComparison.Ordinal);
        Assert.Contains("NotFound", absent.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, warned.ExitCode);
        Assert.Contains("Warning: unknown field \"spec.containers[0].portz\"", warned.Stderr, StringComparison.Ordinal);
        // --validate=false is fieldValidation=Ignore: created, no warning; the unknown field is dropped, as the API server drops it.
        Assert.Equal((0, "pod/quiet created", ""), (ignored.ExitCode, ignored.Stdout.Trim(), ignored.Stderr));
        Assert.DoesNotContain("portz", ignoredField, StringComparison.Ordinal);
        Assert.Equal("service/api created", created.Stdout.Trim());
        Assert.Equal("service/api unchanged", unchanged.Stdout.Trim());
        Assert.Equal("service/api configured", configured.Stdout.Trim());
        Assert.Equal("80 443", ports);
        Assert.Equal(0, dryRun.ExitCode);
        Assert.StartsWith("198.", dryRun.Stdout, StringComparison.Ordinal);
        Assert.Contains("NotFound", notKept.Stderr, StringComparison.Ordinal);

        // A custom resource is judged by its own CRD's schema, as the API server does.
        Assert.NotEqual(0, strictCustom.ExitCode);
        Assert.Contains("strict decoding error: unknown field \"spec.controllerNam\"", strictCustom.Stderr, StringComparison.Ordinal);
        Assert.Contains("NotFound", absentCustom.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Create_sends_protobuf_bodies_and_a_namespace_a_deployment_a_service_a_secret_and_an_ingress_are_made_as_asked()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Web, output);
        var kubectl = new Kubectl(lab, output);

        // kubectl's typed clients send these bodies as application/vnd.kubernetes.protobuf (KubeProtobufTests has them).
        var ns = kubectl.Run("create", "namespace", "made");
        var deployment = kubectl.Run("create", "deployment", "web", "--image=example/server", "--replicas=2", "-n", "made");
        var service = kubectl.Run("create", "service", "clusterip", "web", "--tcp=80:8080", "-n", "made");
        var secret = kubectl.Run("create", "secret", "generic", "token", "--from-literal=a=b", "-n", "made");
        var ingress = kubectl.Run("create", "ingress", "web", "--rule=web.example/=web:80", "-n", "made");
        var again = kubectl.Run("create", "namespace", "made");
        var dryRun = kubectl.Run("create", "deployment", "dry", "--image=x", "--dry-run=server", "-n", "made", "-o", "jsonpath={.spec.replicas}");
        var running = Poll.Until("the created deployment's two pods run", () => kubectl.Run("get", "pods", "-n", "made", "-l", "app=web", "-o", "jsonpath={.items[*].status.phase}").Stdout, phases => phases == "Running Running", output, TimeSpan.FromSeconds(60));

        Assert.Equal(("namespace/made created", ""), (ns.Stdout.Trim(), ns.Stderr));
        Assert.Equal("deployment.apps/web created", deployment.Stdout.Trim());
        Assert.Equal("service/web created", service.Stdout.Trim());
        Assert.Equal("secret/token created", secret.Stdout.Trim());
        Assert.Equal("ingress.networking.k8s.io/web created", ingress.Stdout.Trim());
        Assert.Contains("AlreadyExists", again.Stderr, StringComparison.Ordinal);
        Assert.Equal("1", dryRun.Stdout);
        Assert.Contains("NotFound", kubectl.Run("get", "deployment", "dry", "-n", "made").Stderr, StringComparison.Ordinal);
        Assert.Equal("Active", kubectl.Succeed("get", "namespace", "made", "-o", "jsonpath={.status.phase}"));
        Assert.Equal("2 example/server web", kubectl.Succeed("get", "deployment", "web", "-n", "made", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.selector.matchLabels.app}"));
        Assert.True(running.Met, running.ToString());
        Assert.Equal("80 8080 ClusterIP", kubectl.Succeed("get", "service", "web", "-n", "made", "-o", "jsonpath={.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.type}"));
        Assert.Equal("Yg==", kubectl.Succeed("get", "secret", "token", "-n", "made", "-o", "jsonpath={.data.a}"));
        Assert.Equal("web.example web 80", kubectl.Succeed("get", "ingress", "web", "-n", "made", "-o", "jsonpath={.spec.rules[0].host} {.spec.rules[0].http.paths[0].backend.service.name} {.spec.rules[0].http.paths[0].backend.service.port.number}"));
    }

    [SkippableFact]
    public void Patches_of_every_type_conflicts_scale_dry_run_deletes_and_explain_work_as_on_a_cluster()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Web, output);
        var kubectl = new Kubectl(lab, output);
        var stale = kubectl.Succeed("get", "svc", "web", "-n", "web", "-o", "yaml");

        kubectl.Succeed("patch", "svc", "web", "-n", "web", "--type=json", "-p", """[{"op":"replace","path":"/spec/ports/0/port","value":8080}]""");
        kubectl.Succeed("patch", "svc", "web", "-n", "web", "--type=merge", "-p", """{"metadata":{"labels":{"tier":"front"}}}""");
        kubectl.Succeed("patch", "deploy", "web", "-n", "web", "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"web","ports":[{"containerPort":8080}]}]}}}}""");
        var service = kubectl.Succeed("get", "svc", "web", "-n", "web", "-o", "jsonpath={.spec.ports[0].port} {.metadata.labels.tier}");
        var containers = kubectl.Succeed("get", "deploy", "web", "-n", "web", "-o", "jsonpath={range .spec.template.spec.containers[*]}{.name}/{.image}/{.ports[*].containerPort}{end}");
        var conflict = kubectl.RunWithInput(stale.Replace("tier: front", "tier: back", StringComparison.Ordinal), "replace", "-f", "-");
        kubectl.Succeed("scale", "deploy", "web", "-n", "web", "--replicas=3");
        kubectl.Succeed("scale", "deploy", "web", "-n", "web", "--replicas=1", "--dry-run=server");
        // The template patch above rolls the pods: counted once the rollout is done.
        kubectl.Succeed("rollout", "status", "deploy/web", "-n", "web", "--timeout=60s");
        var replicas = kubectl.Succeed("get", "deploy", "web", "-n", "web", "-o", "jsonpath={.spec.replicas}");
        var pods = kubectl.Succeed("get", "pods", "-n", "web", "-l", "app=web", "-o", "name").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var deletedDry = kubectl.Succeed("delete", "svc", "web", "-n", "web", "--dry-run=server");
        var still = kubectl.Succeed("get", "svc", "web", "-n", "web", "-o", "name");
        var explained = kubectl.Succeed("explain", "pod.spec.containers.ports");
        var canI = kubectl.Run("auth", "can-i", "delete", "deployments", "-n", "web");

        Assert.Equal("8080 front", service);
        Assert.Equal("web/maille/agnhost/80 8080", containers);
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", conflict.Stderr, StringComparison.Ordinal);
        Assert.Equal("3", replicas);
        Assert.Equal(3, pods.Length);
        Assert.Contains("(server dry run)", deletedDry, StringComparison.Ordinal);
        Assert.Equal("service/web", still.Trim());
        Assert.Contains("FIELD: ports <[]ContainerPort>", explained, StringComparison.Ordinal);
        Assert.Contains("containerPort\t<integer>", explained, StringComparison.Ordinal);
        Assert.Equal((0, "yes"), (canI.ExitCode, canI.Stdout.Trim()));
    }

    /// <summary>Four replicas behind a Service, rolled one pod at a time: a readiness probe (a second before its first try) paces each step.</summary>
    private static readonly string Rolling = new WebApp
    {
        Replicas = 4,
        Strategy = "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}",
        ContainerFields = ["readinessProbe: {tcpSocket: {port: 80}, initialDelaySeconds: 1, periodSeconds: 1}"],
    }.Yaml + """

        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client, namespace: web}
        spec:
          containers:
          - {name: c, image: busybox, command: [sleep, "3600"]}
        """;

    [SkippableFact]
    public async Task Set_image_rolls_pods_one_at_a_time_within_surge_and_unavailable_and_history_and_undo_work()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Rolling, output);
        var kubectl = new Kubectl(lab, output);
        var quiet = new Kubectl(lab);
        kubectl.Succeed("rollout", "status", "deploy/web", "-n", "web", "--timeout=60s");
        var clusterIp = kubectl.Succeed("get", "svc", "web", "-n", "web", "-o", "jsonpath={.spec.clusterIP}");
        var firstTemplate = kubectl.Succeed("get", "deploy", "web", "-n", "web", "-o", "jsonpath={.spec.template}");

        // Watched through the API while the Deployment rolls: the pods (ready, and all), and the Service's answers.
        using var rolled = new CancellationTokenSource();
        var sampling = new TaskCompletionSource();
        var samples = Task.Run(() =>
        {
            var seen = new List<(int Ready, int All, int Hashes)>();
            for (var i = 0; i < 600 && !rolled.IsCancellationRequested; i++)
            {
                var (exit, json, _) = quiet.Run("get", "pods", "-n", "web", "-l", "app=web", "-o", "json");
                if (exit == 0)
                {
                    var pods = System.Text.Json.Nodes.JsonNode.Parse(json)!["items"]!.AsArray();
                    var ready = pods.Count(p => p!["status"]?["conditions"]?.AsArray().Any(c => (string?)c!["type"] == "Ready" && (string?)c["status"] == "True") == true);
                    var hashes = pods.Select(p => (string?)p!["metadata"]!["labels"]!["pod-template-hash"]).Distinct().Count();
                    seen.Add((ready, pods.Count, hashes));
                    sampling.TrySetResult();
                }
            }

            return seen;
        });
        var answers = Task.Run(() =>
        {
            var (answered, failed) = (0, new List<string>());
            for (var i = 0; i < 600 && !rolled.IsCancellationRequested; i++)
            {
                var (exit, stdout, stderr) = quiet.Run("exec", "client", "-n", "web", "--", "curl", "-sf", "-m", "2", $"http://{clusterIp}/hostname");
                if (exit == 0)
                {
                    answered++;
                }
                else
                {
                    failed.Add($"exit {exit}: {stdout}{stderr}");
                }
            }

            return (answered, failed);
        });

        await sampling.Task.WaitAsync(TimeSpan.FromSeconds(30));
        kubectl.Succeed("set", "image", "deploy/web", "-n", "web", "web=maille/agnhost:2");
        var status = kubectl.Run("rollout", "status", "deploy/web", "-n", "web", "--timeout=90s");
        await rolled.CancelAsync();
        var seen = await samples;
        var (answered, failed) = await answers;
        output.WriteLine($"during the roll: {seen.Count} samples (ready/all/template hashes: {string.Join(" ", seen.Distinct())}), the Service answered {answered} times");
        var history = kubectl.Succeed("rollout", "history", "deploy/web", "-n", "web");
        var images = kubectl.Succeed("get", "pods", "-n", "web", "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}");

        kubectl.Succeed("rollout", "undo", "deploy/web", "-n", "web");
        var undone = kubectl.Run("rollout", "status", "deploy/web", "-n", "web", "--timeout=90s");
        var template = kubectl.Succeed("get", "deploy", "web", "-n", "web", "-o", "jsonpath={.spec.template}");
        var undoneImages = kubectl.Succeed("get", "pods", "-n", "web", "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}");
        var replicaSets = kubectl.Succeed("get", "rs", "-n", "web", "-o", "jsonpath={range .items[*]}{.metadata.annotations.deployment\\.kubernetes\\.io/revision}={.spec.replicas} {end}");

        Assert.Equal(0, status.ExitCode);
        Assert.Contains("successfully rolled out", status.Stdout, StringComparison.Ordinal);
        Assert.Contains(seen, s => s.Hashes == 2);
        Assert.All(seen, s => Assert.InRange(s.Ready, 4, 5));
        Assert.All(seen, s => Assert.InRange(s.All, 4, 5));
        Assert.Empty(failed);
        Assert.True(answered >= 5, $"the Service was asked only {answered} times");
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>", history);
        Assert.Equal(["maille/agnhost:2"], images.Split(' ').Distinct());
        Assert.Equal(0, undone.ExitCode);
        // The same template; `rollout undo` copies the ReplicaSet's, which is served (as by the API server) with empty
        // fields filled in (a null creationTimestamp, `resources: {}`): they are compared without them.
        Assert.Equal(WithoutEmptyFields(firstTemplate), WithoutEmptyFields(template));
        Assert.Equal(["maille/agnhost"], undoneImages.Split(' ').Distinct());
        // The first ReplicaSet is back as revision 3 with every pod; the second is kept, scaled to 0.
        Assert.Equal(["2=0", "3=4"], replicaSets.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order());
    }

    [SkippableFact]
    public void Rollout_restart_rolls_a_deployment_and_rollout_status_completes_for_statefulsets_and_daemonsets()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Web + """

            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: web}
            spec:
              serviceName: db
              replicas: 2
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {containers: [{name: db, image: maille/agnhost, ports: [{containerPort: 5432}]}]}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: web}
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent}}
                spec: {containers: [{name: agent, image: maille/agnhost, ports: [{containerPort: 9100}]}]}
            """, output);
        var kubectl = new Kubectl(lab, output);
        var before = kubectl.Succeed("get", "pods", "-n", "web", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}");
        var generation = kubectl.Succeed("get", "deploy", "web", "-n", "web", "-o", "jsonpath={.metadata.generation}");

        kubectl.Succeed("rollout", "restart", "deploy/web", "-n", "web");
        var restarted = kubectl.Run("rollout", "status", "deploy/web", "-n", "web", "--timeout=60s");
        var after = kubectl.Succeed("get", "pods", "-n", "web", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}");
        var observed = kubectl.Succeed("get", "deploy", "web", "-n", "web", "-o", "jsonpath={.metadata.generation}/{.status.observedGeneration}/{.status.conditions[*].reason}");
        var statefulSet = kubectl.Run("rollout", "status", "sts/db", "-n", "web", "--timeout=30s");
        var daemonSet = kubectl.Run("rollout", "status", "ds/agent", "-n", "web", "--timeout=30s");
        var history = kubectl.Succeed("rollout", "history", "deploy/web", "-n", "web");
        var victim = after.Split(' ')[0];
        kubectl.Succeed("delete", "pod", victim, "-n", "web");
        var replaced = kubectl.Succeed("get", "pods", "-n", "web", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}").Split(' ');

        Assert.Equal("1", generation);
        // As the ReplicaSet controller does: the deleted pod goes and one of a new name takes its place.
        Assert.Equal(2, replaced.Length);
        Assert.DoesNotContain(victim, replaced);
        Assert.Single(replaced.Except(after.Split(' ')));
        Assert.Equal(0, restarted.ExitCode);
        Assert.Empty(before.Split(' ').Intersect(after.Split(' ')));
        Assert.Equal("2/2/MinimumReplicasAvailable NewReplicaSetAvailable", observed);
        Assert.Equal(0, statefulSet.ExitCode);
        Assert.Contains("partitioned roll out complete", statefulSet.Stdout + statefulSet.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, daemonSet.ExitCode);
        Assert.Contains("successfully rolled out", daemonSet.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"1\s+<none>\s+2\s+<none>", history);
    }

    /// <summary>A JSON text with its null values and empty objects left out, recursively.</summary>
    private static string WithoutEmptyFields(string json)
    {
        static System.Text.Json.Nodes.JsonNode? Prune(System.Text.Json.Nodes.JsonNode? node)
        {
            if (node is System.Text.Json.Nodes.JsonObject map)
            {
                var kept = new System.Text.Json.Nodes.JsonObject();
                foreach (var (key, value) in map.ToList())
                {
                    if (Prune(value?.DeepClone()) is { } pruned && pruned is not System.Text.Json.Nodes.JsonObject { Count: 0 })
                    {
                        kept[key] = pruned;
                    }
                }

                return kept;
            }

            return node is System.Text.Json.Nodes.JsonArray list ? new System.Text.Json.Nodes.JsonArray([.. list.Select(Prune)]) : node?.DeepClone();
        }

        return Prune(System.Text.Json.Nodes.JsonNode.Parse(json))!.ToJsonString();
    }

    [SkippableFact]
    public void Server_side_apply_owns_fields_conflicts_with_a_client_side_scale_until_forced_and_shows_its_managers()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Web, output);
        var kubectl = new Kubectl(lab, output);
        var applied = Web.Split("---")[1];

        var first = kubectl.RunWithInput(applied, "apply", "--server-side", "-f", "-");
        var version = kubectl.Succeed("get", "deploy", "web", "-n", "web", "-o", "jsonpath={.metadata.resourceVersion}");
        var again = kubectl.RunWithInput(applied, "apply", "--server-side", "-f", "-");
        var unchangedVersion = kubectl.Succeed("get", "deploy", "web", "-n", "web", "-o", "jsonpath={.metadata.resourceVersion}");
        kubectl.Succeed("scale", "deploy", "web", "-n", "web", "--replicas=3");
        var conflict = kubectl.RunWithInput(applied, "apply", "--server-side", "-f", "-");
        var forced = kubectl.RunWithInput(applied, "apply", "--server-side", "--force-conflicts", "-f", "-");
        var replicas = kubectl.Succeed("get", "deploy", "web", "-n", "web", "-o", "jsonpath={.spec.replicas}");
        var labelled = kubectl.RunWithInput(applied.Replace("metadata: {name: web, namespace: web}", "metadata: {name: web, namespace: web, labels: {team: ci}}", StringComparison.Ordinal),
            "apply", "--server-side", "--field-manager=ci", "-f", "-");
        var shown = kubectl.Succeed("get", "deploy", "web", "-n", "web", "-o", "yaml", "--show-managed-fields");
        var hidden = kubectl.Succeed("get", "deploy", "web", "-n", "web", "-o", "yaml");

        Assert.Equal((0, "deployment.apps/web serverside-applied"), (first.ExitCode, first.Stdout.Trim()));
        Assert.Equal((0, "deployment.apps/web serverside-applied"), (again.ExitCode, again.Stdout.Trim()));
        Assert.Equal(version, unchangedVersion);
        Assert.NotEqual(0, conflict.ExitCode);
        // kubectl scale sends no fieldManager: its manager is the program's name, from its User-Agent.
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas", conflict.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal("2", replicas);
        Assert.Equal(0, labelled.ExitCode);
        Assert.Contains("manager: kubectl\n", shown, StringComparison.Ordinal);
        Assert.Contains("manager: ci\n", shown, StringComparison.Ordinal);
        Assert.Contains("operation: Apply", shown, StringComparison.Ordinal);
        Assert.Contains("fieldsType: FieldsV1", shown, StringComparison.Ordinal);
        Assert.Contains("f:team: {}", shown, StringComparison.Ordinal);
        Assert.Contains("k:{\"name\":\"web\"}:", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("managedFields", hidden, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Server_side_apply_over_a_client_side_apply_conflicts_with_its_manager_then_kubectl_migrates_its_fields()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Web, output);
        var kubectl = new Kubectl(lab, output);
        kubectl.RunWithInput(WebApp.Service("api", "[{port: 80, targetPort: 8080}]"), "apply", "-f", "-");

        var conflict = kubectl.RunWithInput(WebApp.Service("api", "[{port: 80, targetPort: 9090}]"), "apply", "--server-side", "-f", "-");
        var shared = kubectl.RunWithInput(WebApp.Service("api", "[{port: 80, targetPort: 8080}]"), "apply", "--server-side", "-f", "-");
        var managers = kubectl.Succeed("get", "svc", "api", "-n", "web", "--show-managed-fields", "-o", "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation} {end}");

        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .spec.ports[port=80].targetPort", conflict.Stderr, StringComparison.Ordinal);
        // Once it applies, kubectl moves the client-side apply's fields to its own manager (a JSON patch of
        // managedFields), then keeps the last-applied annotation up to date as kubectl-last-applied.
        Assert.Equal((0, ""), (shared.ExitCode, shared.Stderr));
        Assert.Equal("kubectl/Apply kubectl-last-applied/Apply", managers.Trim());
    }
}
