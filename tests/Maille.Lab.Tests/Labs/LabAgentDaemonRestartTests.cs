using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Maille.Dataplane.Linux.Lab;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// Privileged: `maille up --agents process`, then the lab's daemon killed with SIGKILL and brought back with `maille up
// --lab NAME`. LabServiceTests' cluster: web-1 (node-1) and web-2 (node-2) behind Service web; the client in namespace
// other on node-3, whose agent DNATs its connections. The steady probing goes to Service steady (port 80 → 9090 on the
// web pods), answered by a server of the test's own in each web pod's namespace (NamespaceHttpResponder): the lab's
// built-in pod server lives in the daemon and goes with it, this one stays, so traffic is judged while the daemon is away.
public sealed class LabAgentDaemonRestartTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Client = "other/client";
    private const int SteadyPort = 9090;
    private static readonly string[] Nodes = ["node-1", "node-2", "node-3"];

    private static readonly string Manifests = LabServiceTests.Manifests + """

        ---
        apiVersion: v1
        kind: Service
        metadata: {name: steady}
        spec: {selector: {app: web}, ports: [{port: 80, targetPort: 9090}]}
        """;

    [SkippableFact]
    public async Task A_restarted_daemon_adopts_the_running_agents_which_keep_their_rules_reconnect_and_program_the_next_change()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Manifests, output, "--agents", "process");
        await using var web1 = new NamespaceHttpResponder(LabNames.Pod(lab.Name, "default/web-1"), SteadyPort, "web-1");
        await using var web2 = new NamespaceHttpResponder(LabNames.Pod(lab.Name, "default/web-2"), SteadyPort, "web-2");
        var steady = IPAddress.Parse((string)lab.Get("service", "steady")["spec"]!["clusterIP"]!);
        using var probing = new SteadyProbe(LabNames.Pod(lab.Name, Client), steady);
        await probing.WaitForAnswersAsync(5);

        // One restart before the daemon's: node-3's agent killed and started again, so there is a count to carry over.
        var killed = Pid(lab, "node-3");
        Assert.Equal(0, LabAgentProcessTests.Run("kill", "-9", killed.ToString(CultureInfo.InvariantCulture)).ExitCode);
        var back = Poll.Until("the agent of node-3 restarted and reported again", () => LabAgentProcessTests.Agent(lab, "node-3"),
            a => a["process"]!["pid"] is { } pid && (int)pid != killed && (bool)a["process"]!["reported"]! && (int)a["process"]!["restarts"]! == 1, output, TimeSpan.FromSeconds(30));
        Assert.True(back.Met, back.ToString());

        var pids = Nodes.ToDictionary(n => n, n => Pid(lab, n));
        var tables = Nodes.ToDictionary(n => n, n => Tables(lab, n));
        var namespaces = Nodes.ToDictionary(n => n, n => Inode(LabNames.Node(lab.Name, n)));
        var fullSyncs = Nodes.ToDictionary(n => n, n => FullSyncs(LabAgentProcessTests.Agent(lab, n)));
        Assert.All(tables.Values, t => Assert.Contains(steady.ToString(), t, StringComparison.Ordinal));

        // The daemon killed: its agents live on, on their rules, and traffic through them goes on.
        DaemonRestart.Kill(lab, output);
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var node in Nodes)
        {
            Assert.True(Directory.Exists($"/proc/{pids[node]}"), $"the agent of {node} (pid {pids[node]}) died with the daemon");
            Assert.Equal(tables[node], Tables(lab, node));
        }

        Assert.Empty(probing.TakeFailures());

        // Brought back: the new daemon takes over the network as it is (the same namespaces, no table rewritten) and
        // adopts the same agent processes, which reconnect, list again, and report to it.
        DaemonRestart.UpAgain(lab);
        var reported = Poll.Until("every adopted agent reported to the new daemon", () => LabAgentProcessTests.Agents(lab),
            agents => agents.Count == 3 && agents.All(a => (bool)a!["process"]!["reported"]! && a["process"]!["observedVersion"] is not null), output, TimeSpan.FromSeconds(30));
        Assert.True(reported.Met, reported.ToString());
        foreach (var agent in reported.Last!)
        {
            var node = (string)agent!["node"]!;
            var process = agent["process"]!;
            Assert.Equal(pids[node], (int)process["pid"]!);
            Assert.Equal(node == "node-3" ? 1 : 0, (int)process["restarts"]!);
            Assert.All(process["watches"]!.AsArray(), w => Assert.True((int)w!["lists"]! >= 2, agent.ToJsonString()));
            Assert.Equal(fullSyncs[node], FullSyncs(agent));
            Assert.Equal(namespaces[node], Inode(LabNames.Node(lab.Name, node)));
            Assert.Equal(tables[node], Tables(lab, node));
        }

        // The maille-agent pods show the agents as they were: node-3's restart is still counted, nothing more.
        var pods = Poll.Until("every maille-agent pod Ready", () => LabAgentProcessTests.AgentPods(lab, output), pods => pods.Count == 3 && pods.All(LabAgentProcessTests.Ready), output, TimeSpan.FromSeconds(20));
        Assert.True(pods.Met, pods.ToString());
        Assert.All(pods.Last!, p => Assert.Equal((string)p["spec"]!["nodeName"]! == "node-3" ? 1 : 0, RestartCount(p)));

        // A change made after the restart is programmed by the same processes.
        lab.Succeed("apply", "-f", lab.File("more.yaml", """
            apiVersion: v1
            kind: Service
            metadata: {name: web-two}
            spec: {selector: {app: web}, ports: [{port: 81, targetPort: http}]}
            """));
        var webTwo = (string)lab.Get("service", "web-two")["spec"]!["clusterIP"]!;
        foreach (var node in Nodes)
        {
            Assert.Contains(webTwo, LabAgentProcessTests.Table(LabNames.Node(lab.Name, node)), StringComparison.Ordinal);
            Assert.Equal(pids[node], Pid(lab, node));
        }

        // An adopted agent is supervised as the new daemon's own: killed, it is started again. Its exit status cannot be
        // read (it is not the new daemon's child), so its pod shows it as the kubelet shows a lost container: 137,
        // ContainerStatusUnknown.
        Assert.Equal(0, LabAgentProcessTests.Run("kill", "-9", pids["node-1"].ToString(CultureInfo.InvariantCulture)).ExitCode);
        var restarted = Poll.Until("node-1's adopted agent was started again and its pod shows it", () => LabAgentProcessTests.AgentPods(lab, output).Single(p => (string)p["spec"]!["nodeName"]! == "node-1"),
            p => RestartCount(p) == 1 && LabAgentProcessTests.Ready(p), output, TimeSpan.FromSeconds(30));
        Assert.True(restarted.Met, restarted.ToString());
        var terminated = restarted.Last!["status"]!["containerStatuses"]![0]!["lastState"]!["terminated"]!;
        Assert.Equal(137, (int)terminated["exitCode"]!);
        Assert.Equal("ContainerStatusUnknown", (string)terminated["reason"]!);
        Assert.NotEqual(pids["node-1"], Pid(lab, "node-1"));

        var (answers, failures) = await probing.StopAsync();
        output.WriteLine($"steady probing: {answers} answers, failures: {string.Join("; ", failures)}");
        Assert.Empty(failures);
        Assert.True(answers > 100, $"{answers} answers");
    }

    private static int Pid(LiveLab lab, string node) => (int)LabAgentProcessTests.Agent(lab, node)["process"]!["pid"]!;

    /// <summary>The Service proxy's full syncs: a full rewrite of the table (the policy enforcer's come every minute anyway).</summary>
    private static long FullSyncs(JsonNode agent) => (long)agent["parts"]!["services"]!["fullSyncs"]!;

    private static int RestartCount(JsonNode pod) => (int)pod["status"]!["containerStatuses"]![0]!["restartCount"]!;

    /// <summary>The node's Service and policy tables as nft lists them without counters (<c>-s</c>) or handles: what the agent wrote.</summary>
    private static string Tables(LiveLab lab, string node)
    {
        var ns = LabNames.Node(lab.Name, node);
        var services = LabAgentProcessTests.Run("ip", "netns", "exec", ns, "nft", "-s", "list", "table", "ip", "maille-svc");
        var policy = LabAgentProcessTests.Run("ip", "netns", "exec", ns, "nft", "-s", "list", "table", "ip", "maille-policy");
        Assert.True(services.ExitCode == 0 && policy.ExitCode == 0, services.Stderr + policy.Stderr);
        return services.Stdout + policy.Stdout;
    }

    /// <summary>The namespace's inode: a rebuilt namespace of the same name is another one.</summary>
    private static string Inode(string ns) => LabAgentProcessTests.Run("stat", "-L", "-c", "%i", $"/run/netns/{ns}").Stdout.Trim();
}
