using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Maille.Dataplane.Linux.Flows;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests.Flows;

/// <summary>
/// A <see cref="KernelFlowReader"/> on a scratch namespace (<c>maille-tXXXXXX-flows</c>, loopback only): a TCP
/// connection to 127.0.0.1:8080 is a conntrack event; a SYN to 127.0.0.1:9 meets a rule that logs it to group 20 and
/// drops it, as a policy table's deny does.
/// </summary>
public sealed class KernelFlowReaderTests
{
    private const string Rules = """
        table ip flows {
        	chain output {
        		type filter hook output priority 0; policy accept;
        		ct state new counter
        		tcp dport 9 log prefix "maille-deny ingress-0123456789ab" group 20 drop
        	}
        }
        """;

    [SkippableFact]
    public void AConnectionAndADenial_AreReadFromTheNamespacesKernel()
    {
        Privileged.Require();
        Skip.IfNot(NftContext.IsAvailable, "libnftables is not installed");
        var name = $"maille-{TestNames.NewLab()}-flows";
        try
        {
            using var node = NetworkNamespace.Create(name);
            Prepare(name, node);
            var sink = new CollectingFlowSink();
            using (new KernelFlowReader(node, "node-1", 20, sink))
            {
                using var listener = node.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(IPAddress.Loopback, 8080));
                listener.Listen();
                using var client = node.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                client.Connect(new IPEndPoint(IPAddress.Loopback, 8080));
                using var denied = node.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                denied.Blocking = false;
                try
                {
                    denied.Connect(new IPEndPoint(IPAddress.Loopback, 9));
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
                {
                    // The SYN is on its way to the rule that drops it.
                }

                Assert.True(SpinWait.SpinUntil(() => sink.Seen.Any(c => c.DestinationPort == 8080) && !sink.Logged.IsEmpty, TimeSpan.FromSeconds(5)), $"{sink.Seen.Count} connections, {sink.Logged.Count} denials");
            }

            var connection = sink.Seen.First(c => c.DestinationPort == 8080);
            Assert.Equal((6, IPAddress.Loopback, IPAddress.Loopback), (connection.Protocol, connection.Source, connection.ReplySource));
            var denial = sink.Logged.First();
            Assert.Equal(("maille-deny ingress-0123456789ab", (ushort)9), (denial.Prefix, denial.DestinationPort));
            Assert.Empty(sink.Failures);
        }
        finally
        {
            NetworkNamespaceTests.DeleteIfPresent(name);
        }
    }

    [SkippableFact]
    public void ASecondReaderOfOneNamespace_IsRefusedTheLogGroup()
    {
        Privileged.Require();
        var name = $"maille-{TestNames.NewLab()}-flows";
        try
        {
            using var node = NetworkNamespace.Create(name);
            using var first = new KernelFlowReader(node, "node-1", 20, new CollectingFlowSink());

            var refused = Assert.ThrowsAny<Exception>(() => new KernelFlowReader(node, "node-1", 20, new CollectingFlowSink()));

            Assert.Contains("bind nfnetlink_log group 20", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            NetworkNamespaceTests.DeleteIfPresent(name);
        }
    }

    private static void Prepare(string name, NetworkNamespace node)
    {
        using (var up = Process.Start("ip", ["netns", "exec", name, "ip", "link", "set", "lo", "up"]))
        {
            up.WaitForExit();
            Assert.Equal(0, up.ExitCode);
        }

        var result = node.RunInside(() =>
        {
            using var nft = NftContext.Create();
            return nft.Run(Rules);
        });
        Assert.True(result.Succeeded, result.Error);
    }
}
