using System.Text.Json.Nodes;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// The machine's kubectl rolling StatefulSets, DaemonSets and Deployments on a running lab (issue 15): the pods are
/// sampled through the API while a set rolls, and the order and limits the controllers keep are checked on the samples;
/// then history, undo, partitions, surge, pause and resume, and a rollout past its progress deadline. Each test has its
/// own lab, taken down whatever happens.
/// </summary>
public sealed class KubectlRolloutTests(ITestOutputHelper output)
{
    // Each pod is ready a second after it starts (a readiness probe of its own port), so a roll is slow enough for the
    // samples to see each step.
    private const string Sets = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: web}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: web}
        spec:
          serviceName: db
          replicas: 3
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers:
              - name: db
                image: maille/agnhost
                ports: [{containerPort: 5432}]
                readinessProbe: {tcpSocket: {port: 5432}, initialDelaySeconds: 1, periodSeconds: 1}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: web}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers:
              - name: agent
                image: maille/agnhost
                ports: [{containerPort: 9100}]
                readinessProbe: {tcpSocket: {port: 9100}, initialDelaySeconds: 1, periodSeconds: 1}
        """;

    private const string Deployment = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: web}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: web}
        spec:
          replicas: 2
          progressDeadlineSeconds: 8
          strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - {name: web, image: maille/agnhost, ports: [{containerPort: 80}]}
        """;

    [SkippableFact]
    public async Task A_statefulset_rolls_from_the_highest_ordinal_one_pod_at_a_time_with_history_undo_partition_and_its_pods_made_again()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Sets, output);
        var kubectl = new Kubectl(lab, output);
        kubectl.Succeed("rollout", "status", "sts/db", "-n", "web", "--timeout=55s");

        var samples = await SampleWhileAsync(new Kubectl(lab), "app=db", () =>
        {
            kubectl.Succeed("set", "image", "sts/db", "-n", "web", "db=maille/agnhost:2");
            return kubectl.Run("rollout", "status", "sts/db", "-n", "web", "--timeout=55s");
        });
        var rolled = samples.Result;
        var history = kubectl.Succeed("rollout", "history", "sts/db", "-n", "web");
        var revisions = kubectl.Succeed("get", "controllerrevisions", "-n", "web");
        var status = kubectl.Succeed("get", "sts", "db", "-n", "web", "-o", "jsonpath={.status.currentRevision}/{.status.updateRevision}/{.status.updatedReplicas}/{.status.currentReplicas}");

        // The first sample in which each pod has the new image: db-2's, then db-1's, then db-0's; never two pods unready at once.
        var order = samples.Seen.Select((s, i) => (Sample: s, Index: i))
            .SelectMany(s => s.Sample.Where(p => p.Image == "maille/agnhost:2").Select(p => (p.Name, s.Index)))
            .GroupBy(p => p.Name).OrderBy(g => g.Min(p => p.Index)).Select(g => g.Key).ToList();
        var firstSeen = order.Select(name => samples.Seen.FindIndex(s => s.Any(p => p.Name == name && p.Image == "maille/agnhost:2"))).ToList();
        Assert.Equal(0, rolled.ExitCode);
        // The API server defaults partition to 0, so kubectl reports a partitioned roll, as on a cluster.
        Assert.Contains("partitioned roll out complete: 3 new pods have been updated", rolled.Stdout, StringComparison.Ordinal);
        Assert.Equal(["db-2", "db-1", "db-0"], order);
        Assert.True(firstSeen[0] < firstSeen[1] && firstSeen[1] < firstSeen[2], $"updated together, first seen in samples {string.Join(", ", firstSeen)}");
        Assert.All(samples.Seen, s => Assert.True(s.Count(p => !p.Ready) <= 1, $"more than one pod unready: {string.Join(" ", s)}"));
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>", history);
        Assert.StartsWith("NAME ", revisions, StringComparison.Ordinal);
        Assert.Matches(@"^NAME\s+CONTROLLER\s+REVISION\s+AGE\n", revisions);
        Assert.Matches(@"\ndb-[b-z2-9]{10}\s+statefulset\.apps/db\s+1\s+\d+s\n", revisions);
        Assert.Matches(@"\ndb-[b-z2-9]{10}\s+statefulset\.apps/db\s+2\s+\d+s\n", revisions);
        Assert.Matches(@"^(db-\w+)/\1/3/3$", status);

        kubectl.Succeed("rollout", "undo", "sts/db", "-n", "web");
        var undone = kubectl.Run("rollout", "status", "sts/db", "-n", "web", "--timeout=55s");
        var undoneImages = Images(kubectl, "app=db");
        var undoneHistory = kubectl.Succeed("rollout", "history", "sts/db", "-n", "web");

        Assert.Equal(0, undone.ExitCode);
        Assert.Equal(["maille/agnhost"], undoneImages.Values.Distinct());
        // The first revision comes back as the newest, as the controller renumbers it.
        Assert.Matches(@"2\s+<none>\s+3\s+<none>", undoneHistory);

        // With partition 2 only db-2 takes the new template; a deleted pod below the partition comes back as it was.
        kubectl.Succeed("patch", "sts", "db", "-n", "web", "-p", """{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}""");
        kubectl.Succeed("set", "image", "sts/db", "-n", "web", "db=maille/agnhost:3");
        var partitioned = kubectl.Run("rollout", "status", "sts/db", "-n", "web", "--timeout=55s");
        var deleted = kubectl.Run("delete", "pod", "db-1", "-n", "web");
        var afterDelete = await Poll.UntilAsync("db-1 is back and ready", () => Task.FromResult(Ready(kubectl, "app=db").GetValueOrDefault("db-1")), output, TimeSpan.FromSeconds(30));
        var partitionedImages = Images(kubectl, "app=db");

        Assert.Equal(0, partitioned.ExitCode);
        Assert.Contains("partitioned roll out complete: 1 new pods have been updated", partitioned.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, deleted.ExitCode);
        Assert.True(afterDelete.Met, afterDelete.ToString());
        Assert.Equal(new Dictionary<string, string> { ["db-0"] = "maille/agnhost", ["db-1"] = "maille/agnhost", ["db-2"] = "maille/agnhost:3" }, partitionedImages);
    }

    [SkippableFact]
    public async Task A_daemonset_rolls_node_by_node_within_max_unavailable_then_with_surge_and_history_undo_and_a_deleted_pod_made_again_on_its_node()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Sets, output);
        var kubectl = new Kubectl(lab, output);
        kubectl.Succeed("rollout", "status", "ds/agent", "-n", "web", "--timeout=55s");
        var nodes = kubectl.Succeed("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}").Split(' ').Length;

        var replaced = await SampleWhileAsync(new Kubectl(lab), "app=agent", () =>
        {
            kubectl.Succeed("set", "image", "ds/agent", "-n", "web", "agent=maille/agnhost:2");
            return kubectl.Run("rollout", "status", "ds/agent", "-n", "web", "--timeout=55s");
        });
        var history = kubectl.Succeed("rollout", "history", "ds/agent", "-n", "web");

        Assert.True(nodes >= 3, $"the lab has {nodes} nodes");
        Assert.Equal(0, replaced.Result.ExitCode);
        Assert.Contains("daemon set \"agent\" successfully rolled out", replaced.Result.Stdout, StringComparison.Ordinal);
        // maxUnavailable 1: at most one node without a ready pod, never two pods on a node.
        Assert.All(replaced.Seen, s => Assert.True(s.Count(p => p.Ready) >= nodes - 1, $"fewer than {nodes - 1} ready: {string.Join(" ", s)}"));
        Assert.All(replaced.Seen, s => Assert.True(s.Count <= nodes, $"more pods than nodes: {string.Join(" ", s)}"));
        Assert.Contains(replaced.Seen, s => s.Select(p => p.Image).Distinct().Count() == 2);
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>", history);

        kubectl.Succeed("patch", "ds", "agent", "-n", "web", "-p", """{"spec":{"updateStrategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}}}""");
        var surged = await SampleWhileAsync(new Kubectl(lab), "app=agent", () =>
        {
            kubectl.Succeed("rollout", "undo", "ds/agent", "-n", "web");
            return kubectl.Run("rollout", "status", "ds/agent", "-n", "web", "--timeout=55s");
        });
        // kubectl is done once every node has an available new pod; the last old pod goes a moment later (on a cluster too).
        var oldGone = Poll.Until("one pod per node again", () => Images(kubectl, "app=agent"), images => images.Count == nodes, output);
        var undoneImages = oldGone.Last;

        Assert.Equal(0, surged.Result.ExitCode);
        // maxSurge 1, maxUnavailable 0: every node keeps a ready pod, one node at a time has a second.
        Assert.All(surged.Seen, s => Assert.True(s.Count(p => p.Ready) >= nodes, $"fewer than {nodes} ready: {string.Join(" ", s)}"));
        Assert.All(surged.Seen, s => Assert.True(s.Count <= nodes + 1, $"more than one surge pod: {string.Join(" ", s)}"));
        Assert.Contains(surged.Seen, s => s.Count == nodes + 1);
        Assert.True(oldGone.Met, oldGone.ToString());
        Assert.Equal(["maille/agnhost"], undoneImages.Values.Distinct());

        var victim = kubectl.Succeed("get", "pods", "-n", "web", "-l", "app=agent", "-o", "jsonpath={.items[0].metadata.name} {.items[0].spec.nodeName}").Split(' ');
        kubectl.Succeed("delete", "pod", victim[0], "-n", "web");
        var onNode = await Poll.UntilAsync(
            "a new agent pod runs on the deleted one's node",
            () => Task.FromResult(kubectl.Succeed("get", "pods", "-n", "web", "-l", "app=agent", "--field-selector", $"spec.nodeName={victim[1]}", "-o", "jsonpath={.items[*].metadata.name}")),
            names => names.Length > 0 && !names.Contains(victim[0], StringComparison.Ordinal),
            output,
            TimeSpan.FromSeconds(30));
        Assert.True(onNode.Met, onNode.ToString());
    }

    [SkippableFact]
    public void A_paused_deployment_does_not_roll_until_resumed_and_a_rollout_that_never_becomes_ready_exceeds_its_deadline()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Deployment, output);
        var kubectl = new Kubectl(lab, output);
        kubectl.Succeed("rollout", "status", "deploy/web", "-n", "web", "--timeout=55s");

        kubectl.Succeed("rollout", "pause", "deploy/web", "-n", "web");
        kubectl.Succeed("set", "image", "deploy/web", "-n", "web", "web=maille/agnhost:2");
        // The controller had a pass for the change (it answers at once); the paused rollout did not start.
        Thread.Sleep(TimeSpan.FromSeconds(2));
        var pausedImages = Images(kubectl, "app=web");
        var paused = kubectl.Succeed("get", "deploy", "web", "-n", "web", "-o", "jsonpath={.spec.paused} {.status.conditions[?(@.type==\"Progressing\")].status} {.status.conditions[?(@.type==\"Progressing\")].reason}");
        var replicaSets = kubectl.Succeed("get", "rs", "-n", "web", "-o", "jsonpath={.items[*].metadata.name}").Split(' ');

        Assert.Equal(["maille/agnhost"], pausedImages.Values.Distinct());
        Assert.Equal("true Unknown DeploymentPaused", paused);
        Assert.Single(replicaSets);

        kubectl.Succeed("rollout", "resume", "deploy/web", "-n", "web");
        var resumed = kubectl.Run("rollout", "status", "deploy/web", "-n", "web", "--timeout=55s");
        Assert.Equal(0, resumed.ExitCode);
        Assert.Equal(["maille/agnhost:2"], Images(kubectl, "app=web").Values.Distinct());

        // A template whose pods never become ready (its probe asks a port nothing listens on): no progress for
        // progressDeadlineSeconds (8), and kubectl rollout status says so and fails.
        kubectl.Succeed("patch", "deploy", "web", "-n", "web", "--type=strategic", "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"web","readinessProbe":{"tcpSocket":{"port":81},"periodSeconds":1}}]}}}}""");
        var stuck = kubectl.Run("rollout", "status", "deploy/web", "-n", "web", "--timeout=50s");
        var progressing = kubectl.Succeed("get", "deploy", "web", "-n", "web", "-o", "jsonpath={.status.conditions[?(@.type==\"Progressing\")].status} {.status.conditions[?(@.type==\"Progressing\")].reason} {.status.availableReplicas}");

        Assert.NotEqual(0, stuck.ExitCode);
        Assert.Contains("error: deployment \"web\" exceeded its progress deadline", stuck.Stderr, StringComparison.Ordinal);
        // The old pods keep serving: surge 1, unavailable 0.
        Assert.Equal("False ProgressDeadlineExceeded 2", progressing);
    }

    [SkippableFact]
    public async Task An_ordered_ready_statefulset_scaled_up_makes_one_pod_at_a_time_and_scaled_down_removes_its_highest_ordinal_first()
    {
        Privileged.Require();
        // Each pod counts as available 2 s after it is Ready: the next ordinal waits that long.
        using var lab = LiveLab.Up(Fixtures.MinReadyWorkloads(2), output);
        var kubectl = new Kubectl(lab, output);
        kubectl.Succeed("rollout", "status", "sts/db", "-n", "web", "--timeout=55s");

        var up = await SampleWhileAsync(new Kubectl(lab), "app=db", () =>
        {
            kubectl.Succeed("scale", "sts/db", "-n", "web", "--replicas=4");
            return Poll.Until("four ready db pods", () => Ready(kubectl, "app=db"), ready => ready.Count == 4 && ready.Values.All(r => r), output, TimeSpan.FromSeconds(60));
        });
        var down = await SampleWhileAsync(new Kubectl(lab), "app=db", () =>
        {
            kubectl.Succeed("scale", "sts/db", "-n", "web", "--replicas=2");
            return Poll.Until("two db pods", () => Ready(kubectl, "app=db"), ready => ready.Count == 2, output, TimeSpan.FromSeconds(60));
        });

        Assert.True(up.Result.Met, up.Result.ToString());
        Assert.Contains(up.Seen, s => s.Count == 3);
        Assert.All(up.Seen, s => Assert.True(s.All(p => p.Name != "db-3") || s.Any(p => p.Name == "db-2" && p.Ready), $"db-3 before db-2 was ready: {string.Join(" ", s)}"));
        Assert.True(down.Result.Met, down.Result.ToString());
        Assert.All(down.Seen, s => Assert.True(s.All(p => p.Name != "db-3") || s.Any(p => p.Name == "db-2"), $"db-2 went before db-3: {string.Join(" ", s)}"));
        Assert.Equal("2", kubectl.Succeed("get", "deploy", "web", "-n", "web", "-o", "jsonpath={.status.availableReplicas}"));
    }

    [SkippableFact]
    public async Task A_statefulset_pod_deleted_comes_back_under_its_name_as_a_new_pod_while_every_other_pod_keeps_its_uid()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Fixtures.RemadePod, output);
        var kubectl = new Kubectl(lab, output);
        kubectl.Succeed("rollout", "status", "sts/db", "-n", "web", "--timeout=55s");
        kubectl.Succeed("rollout", "status", "deploy/web", "-n", "web", "--timeout=55s");
        kubectl.Succeed("rollout", "status", "ds/agent", "-n", "web", "--timeout=55s");
        var before = Identities(kubectl);
        var oldLog = kubectl.Succeed("logs", "db-0", "-n", "web");
        // startTime has whole seconds: the new pod must start in a later one.
        Thread.Sleep(TimeSpan.FromSeconds(1.1));

        kubectl.Succeed("delete", "pod", "db-0", "-n", "web");
        var remade = FactsOf(kubectl, "db-0");
        var readyAgain = await Poll.UntilAsync("db-0 is ready again", () => Task.FromResult(FactsOf(kubectl, "db-0")), facts => facts.Ready == "True", output, TimeSpan.FromSeconds(30));
        var newLog = kubectl.Succeed("logs", "db-0", "-n", "web");
        // One more publication that touches none of the pods above.
        kubectl.Succeed("scale", "deploy/web", "-n", "web", "--replicas=3");
        kubectl.Succeed("rollout", "status", "deploy/web", "-n", "web", "--timeout=55s");
        var after = Identities(kubectl);

        var old = before["db-0"];
        Assert.NotEqual(old.Uid, remade.Uid);
        Assert.True(string.CompareOrdinal(remade.Created, old.Created) > 0, $"created {remade.Created}, before {old.Created}");
        // Readiness is earned again: not Ready until its probe passes (3 s after the pod starts), then Ready.
        Assert.Equal("False", remade.Ready);
        Assert.True(string.CompareOrdinal(remade.Started, old.Started) > 0, $"started {remade.Started}, before {old.Started}");
        Assert.Equal("0", remade.Restarts);
        Assert.True(readyAgain.Met, readyAgain.ToString());
        Assert.Equal(remade.Uid, readyAgain.Last.Uid);
        // A new process: its log is its own (one line, another process id), not the old one's continued.
        Assert.Matches(@"^started as process \d+\n$", oldLog);
        Assert.Matches(@"^started as process \d+\n$", newLog);
        Assert.NotEqual(oldLog, newLog);
        // No other pod was made again, whatever its kind: each keeps its uid, creation time and start time through the
        // deletion, the readiness changes and the scale.
        Assert.Equal(before.Where(p => p.Key != "db-0"), after.Where(p => before.ContainsKey(p.Key) && p.Key != "db-0"));
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Where(before.ContainsKey).Order(StringComparer.Ordinal));
        Assert.Equal(before.Count + 1, after.Count);
    }

    [SkippableFact]
    public void Unknown_pod_management_policies_and_update_strategies_are_refused_in_the_api_servers_words_and_nothing_is_created()
    {
        Privileged.Require();
        using var lab = LiveLab.Up("apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n", output);
        var kubectl = new Kubectl(lab, output);
        var statefulSet = Sets.Replace("serviceName: db", "serviceName: db\n  podManagementPolicy: Sometimes\n  updateStrategy: {type: Sideways}", StringComparison.Ordinal)
            .Replace("selector: {matchLabels: {app: agent}}", "updateStrategy: {type: Everywhere}\n  selector: {matchLabels: {app: agent}}", StringComparison.Ordinal);

        var refused = kubectl.RunWithInput(statefulSet, "apply", "-f", "-");
        var left = kubectl.Succeed("get", "statefulsets,daemonsets", "-n", "web", "-o", "name");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("spec.podManagementPolicy: Invalid value: \"Sometimes\": must be 'OrderedReady' or 'Parallel'", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Sideways\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:\"Everywhere\", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: \"RollingUpdate\", \"OnDelete\"", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("", left.Trim());
    }

    /// <summary>Each pod of namespace web by name: its uid, creation time and start time.</summary>
    private static Dictionary<string, PodFacts> Identities(Kubectl kubectl)
    {
        var json = kubectl.Succeed("get", "pods", "-n", "web", "-o", "json");
        return JsonNode.Parse(json)!["items"]!.AsArray().Select(p => Facts(p!)).ToDictionary(f => f.Name, f => f with { Ready = "", Restarts = "" });
    }

    private static PodFacts FactsOf(Kubectl kubectl, string name) => Facts(JsonNode.Parse(kubectl.Succeed("get", "pod", name, "-n", "web", "-o", "json"))!);

    private static PodFacts Facts(JsonNode pod) => new(
        (string)pod["metadata"]!["name"]!,
        (string)pod["metadata"]!["uid"]!,
        (string)pod["metadata"]!["creationTimestamp"]!,
        (string?)pod["status"]?["startTime"] ?? "",
        pod["status"]?["conditions"]?.AsArray().Where(c => (string?)c!["type"] == "Ready").Select(c => (string?)c!["status"]).FirstOrDefault() ?? "",
        pod["status"]?["containerStatuses"]?[0]?["restartCount"]?.ToJsonString() ?? "");

    private sealed record PodFacts(string Name, string Uid, string Created, string Started, string Ready, string Restarts);

    /// <summary>The pods matching <paramref name="selector"/> sampled through the API while <paramref name="act"/> runs, and what it returned.</summary>
    private static async Task<(T Result, List<List<PodSample>> Seen)> SampleWhileAsync<T>(Kubectl quiet, string selector, Func<T> act)
    {
        using var done = new CancellationTokenSource();
        var first = new TaskCompletionSource();
        var sampling = Task.Run(() =>
        {
            var seen = new List<List<PodSample>>();
            while (!done.IsCancellationRequested)
            {
                if (Sample(quiet, selector) is { } sample)
                {
                    seen.Add(sample);
                    first.TrySetResult();
                }
            }

            return seen;
        });
        await first.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var result = await Task.Run(act);
        await done.CancelAsync();
        return (result, await sampling);
    }

    private static List<PodSample>? Sample(Kubectl kubectl, string selector)
    {
        var (exit, json, _) = kubectl.Run("get", "pods", "-n", "web", "-l", selector, "-o", "json");
        return exit != 0 ? null : [.. JsonNode.Parse(json)!["items"]!.AsArray().Select(p => new PodSample(
            (string)p!["metadata"]!["name"]!,
            (string)p["spec"]!["containers"]![0]!["image"]!,
            p["status"]?["conditions"]?.AsArray().Any(c => (string?)c!["type"] == "Ready" && (string?)c["status"] == "True") == true))];
    }

    private static Dictionary<string, string> Images(Kubectl kubectl, string selector) =>
        Sample(kubectl, selector)!.ToDictionary(p => p.Name, p => p.Image);

    private static Dictionary<string, bool> Ready(Kubectl kubectl, string selector) =>
        Sample(kubectl, selector)!.ToDictionary(p => p.Name, p => p.Ready);

    private sealed record PodSample(string Name, string Image, bool Ready);
}
