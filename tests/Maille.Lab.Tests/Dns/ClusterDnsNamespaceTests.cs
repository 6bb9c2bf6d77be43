using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Maille.Dataplane.Linux.Netlink;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Engine.Dns;
using Maille.Kube;
using Maille.Lab.Workloads;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Dns;

// Privileged. IP plan: one scratch namespace maille-<unique>-dns with only lo, up, holding 198.18.128.10/32 (the
// default cluster DNS address). The server's UDP and TCP sockets are created inside that namespace on
// 198.18.128.10:53, as the lab creates a DNS pod's; dig and getent run inside it through `ip netns exec`, the latter
// with the pod resolv.conf that `ip netns exec` mounts from /etc/netns/<name>/. Nothing leaves the namespace.
public sealed class ClusterDnsNamespaceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string Shop = Fixtures.DnsShop(dbReplicas: 2);

    [SkippableFact]
    public async Task Dig_and_the_pod_resolver_inside_a_namespace_get_cluster_answers_over_udp_and_tcp()
    {
        Privileged.Require();
        Skip.If(!File.Exists("/usr/bin/dig") && Environment.GetEnvironmentVariable("CI") != "true", "dig is not installed (run-tests installs bind9-dnsutils as root)");
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("shop.yaml", Shop)]);
        var config = ClusterConfig.Default;
        var plan = ClusterPlanner.Plan(SystemManifests.WithClusterDns(manifests, config), config, diagnostics);
        Assert.True(plan.Succeeded, string.Join("\n", plan.Errors));
        var cluster = plan.Cluster!;
        var dnsAddress = config.EffectiveDnsServiceIP;
        var name = $"maille-t{Guid.NewGuid().ToString("N")[..8]}-dns";
        var etc = Path.Combine("/etc/netns", name);
        try
        {
            using var ns = NetworkNamespace.Create(name);
            using (var netlink = RtNetlink.OpenIn(ns))
            {
                netlink.AddAddress(1, dnsAddress, 32);
                netlink.SetLink(1, up: true);
                netlink.Flush();
            }

            await using var dns = new Maille.Lab.Dns.ClusterDnsServer(() => cluster, new(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System);
            dns.Start();
            var pod = PodId.From(cluster.Pods.First(SystemManifests.IsClusterDnsPod));
            var udp = ns.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(dnsAddress, 53));
            dns.AddPort(new PodPort(pod, Protocol.UDP, 53), udp);
            var tcp = ns.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(dnsAddress, 53));
            tcp.Listen(64);
            dns.AddPort(new PodPort(pod, Protocol.TCP, 53), tcp);

            var apiIP = cluster.ServicesByName["shop/api"].ClusterIP!.ToString();
            Assert.Equal([apiIP], await DigAsync(name, dnsAddress, "api.shop.svc.cluster.local"));
            Assert.Equal([apiIP], await DigAsync(name, dnsAddress, "api.shop.svc.cluster.local", "+tcp"));
            Assert.Equal(
                ["0 50 5432 db-0.db.shop.svc.cluster.local.", "0 50 5432 db-1.db.shop.svc.cluster.local."],
                (await DigAsync(name, dnsAddress, "_pg._tcp.db.shop.svc.cluster.local", "SRV")).Order(StringComparer.Ordinal));
            Assert.Equal(
                [cluster.PodsByName["shop/db-1"].Status.PodIP!.ToString()],
                await DigAsync(name, dnsAddress, "db-1.db.shop.svc.cluster.local", "+tcp"));
            Assert.Equal(["api.shop.svc.cluster.local."], await DigAsync(name, dnsAddress, "-x", apiIP));
            Assert.Contains("status: NXDOMAIN", string.Join("\n", await RunAsync("ip", "netns", "exec", name, "dig", $"@{dnsAddress}", "+tries=1", "+time=2", "web.shop.svc.cluster.local")), StringComparison.Ordinal);
            foreach (var line in await RunAsync("ip", "netns", "exec", name, "dig", $"@{dnsAddress}", "+tries=1", "+time=2", "SRV", "_pg._tcp.db.shop.svc.cluster.local"))
            {
                output.WriteLine(line); // the whole answer, as a person reads it
            }


            // A pod of shop resolves short names through its search path, as curl http://api and http://db-0.db would.
            Directory.CreateDirectory(etc);
            var client = cluster.Pods.First(p => p.Namespace == "shop" && p.Name.StartsWith("api-", StringComparison.Ordinal));
            await File.WriteAllTextAsync(Path.Combine(etc, "resolv.conf"), PodResolvConf.For(client, config));
            Assert.StartsWith($"{apiIP} ", Assert.Single(await RunAsync("ip", "netns", "exec", name, "getent", "hosts", "api")), StringComparison.Ordinal);
            Assert.StartsWith($"{apiIP} ", Assert.Single(await RunAsync("ip", "netns", "exec", name, "getent", "hosts", "api.shop")), StringComparison.Ordinal);
            Assert.StartsWith($"{cluster.PodsByName["shop/db-0"].Status.PodIP} ", Assert.Single(await RunAsync("ip", "netns", "exec", name, "getent", "hosts", "db-0.db")), StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(etc))
            {
                Directory.Delete(etc, recursive: true);
            }

            if (NetworkNamespace.Exists(name))
            {
                NetworkNamespace.Delete(name);
            }
        }
    }

    /// <summary><c>dig @SERVER +short</c> inside the namespace: one try, two seconds.</summary>
    private static Task<IReadOnlyList<string>> DigAsync(string ns, IPAddress server, params string[] arguments) =>
        RunAsync(["ip", "netns", "exec", ns, "dig", $"@{server}", "+short", "+tries=1", "+time=2", .. arguments]);

    private static async Task<IReadOnlyList<string>> RunAsync(params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return [.. (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), .. (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => "stderr: " + line)];
    }
}
