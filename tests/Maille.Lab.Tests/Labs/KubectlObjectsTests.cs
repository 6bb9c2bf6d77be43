using Maille.Lab.Labs;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// Objects as the API server shows them, through the machine's kubectl on a 3-node lab (issue 15): a user's object with
/// every field it was written with and the server's status over it, nodes that <c>describe</c> prints, events (the
/// kubelet's and scheduler's, and Maille's own about policies and LoadBalancer addresses), and a Namespace that terminates. Each test has its own lab, taken down whatever happens.
/// </summary>
public sealed class KubectlObjectsTests(ITestOutputHelper output)
{
    /// <summary>
    /// The web app (<see cref="WebApp"/>: Deployment web of 2 pods behind the Service web) with an env in its template,
    /// and a pod envy on node-2 written with fields the engine does not model (env, resources, a volume).
    /// </summary>
    private static readonly string Lab = new WebApp { ContainerFields = ["env: [{name: FROM_TEMPLATE, value: \"yes\"}]"] }.Yaml + """

        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: envy, namespace: web, labels: {app: envy}}
        spec:
          nodeName: node-2
          volumes: [{name: scratch, emptyDir: {}}]
          containers:
          - name: envy
            image: maille/agnhost
            env: [{name: GREETING, value: hello}]
            resources: {requests: {cpu: 100m, memory: 64Mi}}
            volumeMounts: [{name: scratch, mountPath: /scratch}]
        """;

    /// <summary>A pod on node-3 whose readiness probe asks a port nothing serves (applied after up, which waits for readiness).</summary>
    private const string Sulky = """
        apiVersion: v1
        kind: Pod
        metadata: {name: sulky, namespace: web}
        spec:
          nodeName: node-3
          containers:
          - name: sulky
            image: maille/agnhost
            ports: [{containerPort: 80}]
            readinessProbe: {httpGet: {port: 9999, path: /}, periodSeconds: 1}
        """;

    private static readonly string Service = WebApp.Service("late", "[{port: 80}]");

    /// <summary>A NetworkPolicy for envy and a LoadBalancer Service (applied after up): Maille's own events are about them.</summary>
    private const string Networked = """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: envy-from-web, namespace: web}
        spec: {podSelector: {matchLabels: {app: envy}}, ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: edge, namespace: web}
        spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}
        """;

    [SkippableFact]
    public async Task Secrets_ingress_classes_and_metallb_pools_are_applied_server_side_listed_with_kubectls_columns_watched_and_deleted()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Lab, output);
        var kubectl = new Kubectl(lab, output);

        var shop = kubectl.Run("apply", "--server-side", "-f", Path.Combine(Cluster.RepositoryRoot, "examples", "shop") + "/");
        var pool = kubectl.RunWithInput(Fixtures.MetalLbEdge, "apply", "--server-side", "-f", "-");
        var listed = kubectl.Succeed("get", "secrets,ingressclasses,ipaddresspools", "-A");
        var advertisements = kubectl.Succeed("get", "l2advertisements", "-n", "metallb-system", "-o", "wide");
        var data = kubectl.Succeed("get", "secret", "shop-tls", "-n", "shop-web", "-o", "jsonpath={.data.tls\\.crt}");
        var tls = kubectl.Succeed("get", "secrets", "-A", "--field-selector", "type=kubernetes.io/tls", "-o", "name");
        var explained = kubectl.Succeed("explain", "ipaddresspools.spec.addresses");
        var watch = Task.Run(() => kubectl.Run("get", "--raw", "/api/v1/namespaces/shop-web/secrets?watch=true&timeoutSeconds=6"));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var labelled = kubectl.Run("label", "secret", "shop-tls", "-n", "shop-web", "tier=edge");
        var deleted = kubectl.Run("delete", "secret", "shop-tls", "-n", "shop-web");
        var deletedPool = kubectl.Run("delete", "l2advertisement,ipaddresspool", "edge", "-n", "metallb-system");
        var deletedClass = kubectl.Run("delete", "ingressclass", "maille");
        var left = kubectl.Succeed("get", "secrets,ingressclasses,ipaddresspools,l2advertisements", "-A", "-o", "name");
        var events = (await watch).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(shop.ExitCode == 0 && shop.Stderr.Length == 0, shop.Stderr);
        Assert.Contains("secret/shop-tls serverside-applied", shop.Stdout, StringComparison.Ordinal);
        Assert.Contains("ingressclass.networking.k8s.io/maille serverside-applied", shop.Stdout, StringComparison.Ordinal);
        Assert.True(pool.ExitCode == 0, pool.Stderr);
        Assert.Matches(@"NAMESPACE +NAME +TYPE +DATA +AGE\n+shop-web +secret/shop-tls +kubernetes.io/tls +2 +\S+\n", listed);
        Assert.Matches(@"NAMESPACE +NAME +CONTROLLER +PARAMETERS +AGE\n +ingressclass.networking.k8s.io/maille +maille.dev/ingress-controller +<none> +\S+\n", listed);
        Assert.Matches(@"NAMESPACE +NAME +AUTO ASSIGN +AVOID BUGGY IPS +ADDRESSES\nmetallb-system +ipaddresspool.metallb.io/edge +true +false +\[""198.18.200.0/29""\]", listed);
        Assert.Matches(@"NAME +IPADDRESSPOOLS +IPADDRESSPOOL SELECTORS +INTERFACES +NODE SELECTORS\nedge +\[""edge""\] +<none> +<none> +<none>", advertisements);
        Assert.Equal("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=", data);
        Assert.Equal("secret/shop-tls", tls.Trim());
        Assert.Contains("A list of IP address ranges over which MetalLB has authority.", explained, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0, 0), (labelled.ExitCode, deleted.ExitCode, deletedPool.ExitCode, deletedClass.ExitCode));
        Assert.Equal("", left.Trim());
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], events.Select(e => (string?)System.Text.Json.Nodes.JsonNode.Parse(e)!["type"]));
        Assert.Contains("\"tier\":\"edge\"", events[1], StringComparison.Ordinal);
        Assert.All(
            Directory.EnumerateFiles(Path.Combine("/run/maille", lab.Name), "*", SearchOption.AllDirectories),
            path => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path)));
    }

    [SkippableFact]
    public void Kubectl_explains_gateway_api_kinds_from_their_own_crds()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Lab, output);
        var kubectl = new Kubectl(lab, output);

        var listeners = kubectl.Succeed("explain", "gateways.spec.listeners");
        var matches = kubectl.Succeed("explain", "httproutes.spec.rules.matches");
        var grant = kubectl.Succeed("explain", "referencegrants.spec.from");

        Assert.Contains("allowedRoutes", listeners, StringComparison.Ordinal);
        Assert.Contains("AllowedRoutes defines the types of routes", listeners, StringComparison.Ordinal);
        Assert.Contains("headers", matches, StringComparison.Ordinal);
        Assert.Contains("queryParams", matches, StringComparison.Ordinal);
        Assert.Contains("Matches define conditions used for matching the rule", matches, StringComparison.Ordinal);
        Assert.Contains("namespace", grant, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Get_shows_what_was_written_with_the_servers_status_and_describe_and_get_events_show_what_happened()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Lab, output);
        var kubectl = new Kubectl(lab, output);
        kubectl.RunWithInput(Sulky, "apply", "-f", "-");
        kubectl.RunWithInput(Networked, "apply", "-f", "-");

        var yaml = kubectl.Succeed("get", "pod", "envy", "-n", "web", "-o", "yaml");
        var env = kubectl.Succeed("get", "pod", "envy", "-n", "web", "-o", "jsonpath={.spec.containers[0].env[0].name}={.spec.containers[0].env[0].value}");
        var conditions = kubectl.Succeed("get", "pod", "envy", "-n", "web", "-o", "jsonpath={range .status.conditions[*]}{.type}={.status} {end}");
        var container = kubectl.Succeed("get", "pod", "envy", "-n", "web", "-o", "jsonpath={.status.containerStatuses[0].name} {.status.containerStatuses[0].started} {.status.containerStatuses[0].state.running.startedAt}");
        var templateEnv = kubectl.Succeed("get", "pods", "-n", "web", "-l", "app=web", "-o", "jsonpath={.items[0].spec.containers[0].env[0].value}");
        var node = kubectl.Succeed("describe", "node", "node-2");
        var wide = kubectl.Run("get", "nodes", "-o", "wide");
        var unhealthy = await Poll.UntilAsync("sulky's failing probe is an Unhealthy event", () => Task.FromResult(
            kubectl.Run("get", "events", "-n", "web", "--field-selector", "reason=Unhealthy", "-o", "jsonpath={.items[*].involvedObject.name}").Stdout.Contains("sulky", StringComparison.Ordinal)), output);
        var programmed = await Poll.UntilAsync("the policy's Programmed event", () => Task.FromResult(
            kubectl.Run("get", "events", "-n", "web", "--field-selector", "reason=Programmed,involvedObject.name=envy-from-web", "-o", "jsonpath={range .items[*]}{.involvedObject.kind} {.source.component} {.message}{\"\\n\"}{end}").Stdout),
            text => text.Length > 0, output);
        var address = kubectl.Succeed("get", "svc", "edge", "-n", "web", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}");
        var allocated = kubectl.Succeed("get", "events", "-n", "web", "--field-selector", "reason=IPAllocated,involvedObject.name=edge", "-o", "jsonpath={.items[*].message}");
        var events = kubectl.Succeed("get", "events", "-A");
        var described = kubectl.Succeed("describe", "pod", "envy", "-n", "web");
        var describedService = kubectl.Succeed("describe", "svc", "edge", "-n", "web");
        var explainedLease = kubectl.Succeed("explain", "leases.spec.holderIdentity");
        var explainedEvent = kubectl.Succeed("explain", "events.involvedObject");

        Assert.Contains("GREETING", yaml, StringComparison.Ordinal);
        Assert.Contains("mountPath: /scratch", yaml, StringComparison.Ordinal);
        Assert.Contains("memory: 64Mi", yaml, StringComparison.Ordinal);
        Assert.Matches(@"uid: [0-9a-f-]{36}", yaml);
        Assert.Contains("creationTimestamp:", yaml, StringComparison.Ordinal);
        Assert.Matches(@"resourceVersion: ""\d+""", yaml);
        Assert.Equal("GREETING=hello", env);
        Assert.Equal("PodScheduled=True Initialized=True ContainersReady=True Ready=True", conditions.Trim());
        Assert.Matches(@"^envy true \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", container);
        Assert.Equal("yes", templateEnv);
        Assert.Contains("KubeletReady", node, StringComparison.Ordinal);
        Assert.Contains("MemoryPressure", node, StringComparison.Ordinal);
        Assert.Contains("InternalIP:", node, StringComparison.Ordinal);
        Assert.Contains("Capacity:", node, StringComparison.Ordinal);
        Assert.Contains("Kubelet Version:", node, StringComparison.Ordinal);
        Assert.Matches(@"Lease:\s+HolderIdentity:\s+node-2\s+AcquireTime:\s+<unset>\s+RenewTime:\s+\w{3}, \d\d \w{3} \d{4}", node);
        Assert.DoesNotContain("Failed to get lease", node, StringComparison.Ordinal);
        Assert.Matches(@"CreationTimestamp:\s+\w{3}, \d\d \w{3} \d{4}", node);
        Assert.Matches(@"web\s+envy\s+100m", node);
        Assert.Equal(0, wide.ExitCode);
        Assert.Matches(@"\nnode-3 +Ready +<none> +\d+s ", wide.Stdout);
        Assert.True(unhealthy.Met, unhealthy.ToString());
        Assert.Contains("Scheduled", events, StringComparison.Ordinal);
        Assert.Contains("Started", events, StringComparison.Ordinal);
        Assert.Contains("pod/envy", events, StringComparison.Ordinal);
        Assert.Contains("Events:", described, StringComparison.Ordinal);
        Assert.Contains("Successfully assigned web/envy to node-2", described, StringComparison.Ordinal);
        Assert.Contains("Started container envy", described, StringComparison.Ordinal);
        Assert.DoesNotContain("sulky", described, StringComparison.Ordinal);

        // Maille's own: the policy programmed on a node by its policy agent, and MetalLB's word for the address given.
        Assert.True(programmed.Met, programmed.ToString());
        Assert.All(programmed.Last.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(@"^NetworkPolicy maille-policy-agent NetworkPolicy programmed on node node-[1-3] \(table ip maille-policy\)$", line));
        Assert.StartsWith("198.", address, StringComparison.Ordinal);
        Assert.Equal($"Assigned IP [\"{address}\"]", allocated);
        Assert.Matches(@"Normal\s+IPAllocated\s+\S+\s+metallb-controller\s+Assigned IP", describedService);

        // The read-only kinds are explained too, from the lab's OpenAPI documents.
        Assert.Contains("FIELD: holderIdentity <string>", explainedLease, StringComparison.Ordinal);
        Assert.Contains("FIELD: involvedObject <ObjectReference>", explainedEvent, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_stopped_node_is_not_ready_and_deleting_a_deployment_takes_its_pods_unless_asked_to_orphan_them()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Lab, output);
        var kubectl = new Kubectl(lab, output);

        Assert.Equal(0, lab.Run("node", "stop", "node-3").ExitCode);
        var stopped = kubectl.Succeed("get", "node", "node-3", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
        var running = kubectl.Succeed("get", "node", "node-1", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
        var orphan = kubectl.Run("delete", "deployment", "web", "-n", "web", "--cascade=orphan");
        var kept = kubectl.Succeed("get", "pods", "-n", "web", "-l", "app=web", "-o", "name");
        var deleted = kubectl.Run("delete", "deployment", "web", "-n", "web", "--cascade=foreground");
        var left = kubectl.Succeed("get", "pods,replicasets", "-n", "web", "-l", "app=web", "-o", "name");
        var killing = kubectl.Succeed("get", "events", "-n", "web", "--field-selector", "reason=Killing", "-o", "jsonpath={.items[*].message}");

        Assert.Equal("False", stopped);
        Assert.Equal("True", running);
        Assert.NotEqual(0, orphan.ExitCode);
        Assert.Contains("propagationPolicy Orphan is not supported", orphan.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, kept.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal("", left.Trim());
        Assert.Contains("Stopping container web", killing, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Deleting_a_namespace_shows_it_terminating_refuses_new_objects_in_it_and_then_it_is_gone()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Lab, output);
        var kubectl = new Kubectl(lab, output);
        var watch = Task.Run(() => kubectl.Run("get", "--raw", "/api/v1/namespaces?watch=true&fieldSelector=metadata.name%3Dweb&timeoutSeconds=12"));
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        var deleting = kubectl.Run("delete", "namespace", "web", "--wait=false");
        var refused = kubectl.RunWithInput(Service, "create", "-f", "-");
        var phase = kubectl.Succeed("get", "namespace", "web", "-o", "jsonpath={.status.phase} {.metadata.deletionTimestamp}");
        var gone = await Poll.UntilAsync("namespace web is gone", () => Task.FromResult(kubectl.Run("get", "namespace", "web").Stderr.Contains("NotFound", StringComparison.Ordinal)), output);
        var pods = kubectl.Succeed("get", "pods", "-n", "web", "-o", "name");
        var events = (await watch).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(0, deleting.ExitCode);
        Assert.Matches(@"^Terminating \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", phase);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("services \"late\" is forbidden: unable to create new content in namespace web because it is being terminated", refused.Stderr, StringComparison.Ordinal);
        Assert.True(gone.Met, gone.ToString());
        Assert.Equal("", pods.Trim());
        Assert.Collection(
            events,
            added => Assert.StartsWith("{\"type\":\"ADDED\"", added, StringComparison.Ordinal),
            modified =>
            {
                Assert.StartsWith("{\"type\":\"MODIFIED\"", modified, StringComparison.Ordinal);
                Assert.Contains("\"phase\":\"Terminating\"", modified, StringComparison.Ordinal);
            },
            deleted => Assert.StartsWith("{\"type\":\"DELETED\"", deleted, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_terminating_namespace_refuses_a_batch_apply_into_it_whole_and_is_still_deleted_after_a_daemon_restart_which_keeps_the_nodes_creation_time()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Lab, output);
        var kubectl = new Kubectl(lab, output);
        var state = new LabState(lab.Name);

        var deleting = kubectl.Run("delete", "namespace", "web", "--wait=false");
        var batch = lab.Run("apply", "-f", lab.File("batch.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: calm}\n---\n" + Service));
        var recorded = File.ReadAllText(state.TerminatingNamespacesFile);
        var mode = File.GetUnixFileMode(state.TerminatingNamespacesFile);
        var nodeCreated = kubectl.Succeed("get", "node", "node-1", "-o", "jsonpath={.metadata.creationTimestamp}");
        DaemonRestart.KillAndUpAgain(lab, output);
        var nodeCreatedAfter = kubectl.Succeed("get", "node", "node-1", "-o", "jsonpath={.metadata.creationTimestamp}");
        var gone = await Poll.UntilAsync("namespace web is gone after the restart", () => Task.FromResult(kubectl.Run("get", "namespace", "web").Stderr.Contains("NotFound", StringComparison.Ordinal)), output);
        var pods = kubectl.Succeed("get", "pods", "-n", "web", "-o", "name");
        var calm = kubectl.Run("get", "namespace", "calm");

        Assert.Equal(0, deleting.ExitCode);
        Assert.NotEqual(0, batch.ExitCode);
        Assert.Contains("services \"late\" is forbidden: unable to create new content in namespace web because it is being terminated", batch.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"web\"", recorded, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.True(gone.Met, gone.ToString());
        Assert.Equal("", pods.Trim());
        Assert.Contains("NotFound", calm.Stderr, StringComparison.Ordinal);   // nothing of the refused batch was applied
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", nodeCreated);
        Assert.Equal(nodeCreated, nodeCreatedAfter);
    }
}
