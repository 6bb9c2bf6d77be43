using System.Diagnostics;
using Maille.Dataplane.Linux.Netlink;
using Maille.Dataplane.Linux.Netns;
using Maille.TestKit;

namespace Maille.Lab.Tests.Agent;

/// <summary>
/// A `maille agent` process that starts before its API server answers (a node booting, a lab daemon restarting) waits
/// for it, as kube-proxy does: it stays up, says why, and its /healthz says it has not synced; SIGTERM ends it cleanly.
/// Privileged: it runs in a namespace of its own, whose loopback holds nothing but the agent.
/// </summary>
public sealed class AgentStartTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [SkippableFact]
    public async Task An_agent_whose_api_does_not_answer_yet_waits_for_it_and_says_so_on_healthz()
    {
        Privileged.Require();
        var name = $"maille-t{Guid.NewGuid().ToString("N")[..8]}-agent";
        var folder = Directory.CreateTempSubdirectory("maille-agent-start-");
        var kubeconfig = Path.Combine(folder.FullName, "kubeconfig");
        // Nothing listens on port 1 of the namespace's loopback: every request is refused at once.
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
            users: [{name: u, user: {token: unused}}]
            contexts: [{name: c, context: {cluster: c, user: u}}]
            current-context: c
            """);
        Process? agent = null;
        try
        {
            using var ns = NetworkNamespace.Create(name);
            using (var netlink = RtNetlink.OpenIn(ns))
            {
                netlink.SetLink(1, up: true);
                netlink.Flush();
            }

            var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in (string[])["netns", "exec", name, Path.Combine(Cluster.RepositoryRoot, "maille"), "agent", "--node", "node-1", "--kubeconfig", kubeconfig, "--healthz-bind-address", "127.0.0.1:10266"])
            {
                start.ArgumentList.Add(argument);
            }

            agent = Process.Start(start)!;
            var log = agent.StandardOutput.ReadToEndAsync();
            var errors = agent.StandardError.ReadToEndAsync();
            var health = Poll.Until("the agent's /healthz answers", () => Curl(name, "http://127.0.0.1:10266/healthz"), answer => answer.EndsWith(" 503", StringComparison.Ordinal), output, TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(3));
            var aliveAfterRefusals = !agent.HasExited;
            Assert.Equal(0, Terminate(agent.Id));
            Assert.True(agent.WaitForExit(TimeSpan.FromSeconds(10)));
            output.WriteLine(await log + await errors);

            Assert.True(health.Met, health.ToString());
            Assert.Contains("no sync yet", health.Last!, StringComparison.Ordinal);
            Assert.True(aliveAfterRefusals, await log + await errors);
            Assert.Contains("cannot ask the API whether it serves", await log, StringComparison.Ordinal);
            Assert.Equal(0, agent.ExitCode);
        }
        finally
        {
            if (agent is { HasExited: false })
            {
                agent.Kill(entireProcessTree: true);
            }

            agent?.Dispose();
            NetworkNamespace.Delete(name);
            folder.Delete(recursive: true);
        }
    }

    private static int Terminate(int pid)
    {
        using var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        return kill.ExitCode;
    }

    /// <summary>The body and status code of a GET from inside the namespace.</summary>
    private static string Curl(string ns, string url)
    {
        var start = new ProcessStartInfo("ip", ["netns", "exec", ns, "curl", "-s", "-m", "2", "-w", " %{http_code}", url]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var answer = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return answer.Trim();
    }
}
