using System.Net;
using Maille.Dataplane.Linux.Ebpf;
using Maille.Dataplane.Linux.Lab;
using Maille.Lab.Labs;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// Privileged: `maille up --dataplane ebpf --agents process`. Each node's agent process loads its node's socket load
// balancer (programs on the lab's cgroup, maille_nodeport on eth0) and its NetworkPolicy tc programs, and pins their maps
// and cgroup links in the lab's bpffs (/run/maille/LAB/bpf/NODE). LabServiceTests' cluster: web-1 (node-1) and web-2
// (node-2) behind Service web (80 → 8080); the client in namespace other on node-3, whose socket hooks translate its
// connections. One lab for the whole specification.
public sealed class LabEbpfAgentProcessTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Client = "other/client";

    /// <summary>EHOSTUNREACH ("No route to host"): what a connection rejected with ICMP admin-prohibited gets.</summary>
    private const int Ehostunreach = 113;

    private static readonly string[] CgroupPrograms = ["maille_connect4", "maille_sendmsg4", "maille_recvmsg4", "maille_getpeername4"];

    [SkippableFact]
    public async Task Agent_processes_translate_ClusterIPs_at_the_socket_enforce_a_live_policy_and_a_kill_9_leaves_their_hooks_running_until_the_next_one_takes_them_over()
    {
        Privileged.Require();

        // Disposing takes the lab down whatever happened: its namespaces, its cgroup (this process is moved out of it) and its bpffs.
        using var lab = LiveLab.Up(LabServiceTests.Manifests, output, "--dataplane", "ebpf", "--agents", "process");
        var pins = new LabState(lab.Name).BpfDirectory;
        // Every node's agent is a process, and reports the ebpf parts as the daemon's in-process ones do: programs,
        // maps and their counts; no nftables policy part.
        var agents = LabAgentProcessTests.Agents(lab);
        Assert.Equal(["node-1", "node-2", "node-3"], agents.Select(a => (string)a!["node"]!));
        Assert.All(agents, a =>
        {
            Assert.NotNull((int?)a!["process"]!["pid"]);
            var services = a["parts"]!["services-ebpf"]!;
            Assert.Equal([.. CgroupPrograms, "maille_nodeport"], services["programs"]!.AsArray().Select(p => (string)p!));
            Assert.Equal(6, (int)services["maps"]!["services"]!);
            Assert.Null((string?)services["lastError"]);
            var policy = a["parts"]!["networkpolicy-ebpf"]!;
            Assert.Equal(["maille_egress", "maille_ingress"], policy["programs"]!.AsArray().Select(p => (string)p!));
            Assert.Null((string?)policy["lastError"]);
            Assert.Null(a["parts"]!["networkpolicy"]);
        });

        // Their maps and cgroup links are pinned in the lab's own bpffs, a folder per node and object.
        Assert.True(LabBpfFs.IsMounted(pins));
        var node3 = Path.Combine(pins, "node-3", "socket-lb");
        Assert.All(CgroupPrograms, p => Assert.True(File.Exists(Path.Combine(node3, BpfObject.LinkPinPrefix + p)), p));
        Assert.True(File.Exists(Path.Combine(pins, "node-3", "pod-policy", "pods")));

        // Pod → ClusterIP reaches both endpoints, translated at the client's socket.
        var clusterIP = IPAddress.Parse((string)lab.Get("svc", "web")["spec"]!["clusterIP"]!);
        var answers = lab.Exec(Client, "sh", "-c", $"for i in $(seq 16); do curl -sS -m 3 {clusterIP}/hostname; echo; done");
        Assert.True(answers.ExitCode == 0, answers.Stderr);
        Assert.Equal(["default/web-1", "default/web-2"], answers.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet().Order());

        // kill -9 of node-3's agent under steady probing (from this process, in the lab's cgroup like a pod's program):
        // the pinned links keep the hooks on the cgroup and the pinned maps keep their entries, so established and new
        // connections go on; the restarted agent takes the same links and maps over (the pins are the same files).
        Assert.True(LabNamespaces.JoinLabCgroup(lab.Name, Environment.ProcessId));
        var (linkPin, mapPin) = (Inode(Path.Combine(node3, BpfObject.LinkPinPrefix + "maille_connect4")), Inode(Path.Combine(node3, "services")));
        using (var probing = new SteadyProbe(LabNames.Pod(lab.Name, Client), clusterIP))
        {
            await probing.WaitForAnswersAsync(5);
            var killed = (int)LabAgentProcessTests.Agent(lab, "node-3")["process"]!["pid"]!;
            Assert.Equal(0, LabAgentProcessTests.Run("kill", "-9", killed.ToString(System.Globalization.CultureInfo.InvariantCulture)).ExitCode);
            var back = Poll.Until("the agent of node-3 restarted and synced its ebpf parts in full", () => LabAgentProcessTests.Agent(lab, "node-3"),
                a => a["process"]!["pid"] is { } pid && (int)pid != killed && (bool)a["process"]!["reported"]! && (long)a["parts"]!["services-ebpf"]!["fullSyncs"]! >= 1
                    && (long)a["parts"]!["networkpolicy-ebpf"]!["fullSyncs"]! >= 1,
                output, TimeSpan.FromSeconds(30));
            Assert.True(back.Met, back.ToString());
            Assert.Equal(1, (int)back.Last!["process"]!["restarts"]!);
            Assert.Null((string?)back.Last!["parts"]!["services-ebpf"]!["lastError"]);
            await probing.WaitForAnswersAsync(probing.Answers + 5);
            var (rounds, failures) = await probing.StopAsync();
            output.WriteLine($"steady probing across the kill: {rounds} rounds, failures: {string.Join("; ", failures)}");
            Assert.Empty(failures);
        }

        Assert.Equal((linkPin, mapPin), (Inode(Path.Combine(node3, BpfObject.LinkPinPrefix + "maille_connect4")), Inode(Path.Combine(node3, "services"))));

        // A NetworkPolicy applied live, read and programmed by the agent processes (on node-1 and node-2, web's nodes):
        // web's namespace admits nothing, so the client is rejected through the ClusterIP (translated by node-3's
        // restarted agent's hooks) with ICMP admin-prohibited, not left to time out.
        lab.Succeed("apply", "-f", lab.File("deny.yaml", PolicyYaml.DenyIngress("default").Yaml));
        var connect = lab.Exec(Client, "python3", "-c", $"import socket; s = socket.socket(); s.settimeout(3); print(s.connect_ex(('{clusterIP}', 80)))");
        Assert.Equal(Ehostunreach.ToString(System.Globalization.CultureInfo.InvariantCulture), connect.Stdout.Trim());

        // down removes everything: the pins (the bpffs is unmounted), the cgroup, the namespaces.
        lab.Succeed("down");
        Assert.False(LabBpfFs.IsMounted(pins));
        Assert.False(LabCgroup.For(lab.Name).Exists);
        Assert.DoesNotContain(lab.Name, LabNamespaces.Labs());
    }

    /// <summary>A pin's inode: the same one means the same pinned object, not one pinned again.</summary>
    private static string Inode(string path) => LabAgentProcessTests.Run("stat", "-c", "%i", path).Stdout.Trim();
}
