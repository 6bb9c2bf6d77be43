using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Maille.Engine;
using Maille.Lab.Workloads;
using Maille.Model;
using Maille.TestKit;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Dns;

// IP plan: the DNS server's sockets are on 127.0.0.1 with ports the kernel picks (UDP and TCP), standing in for a DNS
// pod's port 53; the answers come from a planned cluster (Service CIDR 198.18.128.0/17, pods in 198.19.0.0/16), whose
// addresses are read from the plan. Nothing is sent anywhere but loopback.
public sealed class ClusterDnsServerTests(ITestOutputHelper output)
{
    private static readonly string Shop = Fixtures.DnsShop(dbReplicas: 3);

    private static string Headless(int replicas) => $$$"""
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: many, namespace: shop}
        spec:
          replicas: {{{replicas}}}
          selector: {matchLabels: {app: many}}
          template:
            metadata: {labels: {app: many}}
            spec: {containers: [{name: c}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: many, namespace: shop}
        spec: {clusterIP: None, selector: {app: many}}

        """;

    private static readonly ClusterState Cluster = Maille.TestKit.Cluster.Valid(Shop);

    private static IPAddress ClusterIP(ClusterState cluster, string service) => cluster.ServicesByName[service].ClusterIP!;

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer, CancellationToken token)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, token);
            Assert.NotEqual(0, received);
            read += received;
        }
    }

    [Fact]
    public async Task A_query_over_udp_gets_the_service_address_authoritatively()
    {
        await using var dns = TestDnsServer.Start(Cluster);

        var answer = await TestDnsServer.AskUdpAsync(dns.Udp, "api.shop.svc.cluster.local", RecordType.A);

        Assert.NotNull(answer);
        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.True(answer.IsAuthoritiveAnswer);
        Assert.False(answer.IsRecursionAllowed);
        Assert.Equal(ClusterIP(Cluster, "shop/api"), Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords)).Address);
    }

    [Fact]
    public async Task A_query_over_tcp_gets_headless_srv_records_with_the_pod_addresses_alongside()
    {
        await using var dns = TestDnsServer.Start(Cluster);

        var answer = await TestDnsServer.AskTcpAsync(dns.Tcp, "_pg._tcp.db.shop.svc.cluster.local", RecordType.Srv);

        Assert.NotNull(answer);
        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        var targets = answer.AnswerRecords.Cast<SrvRecord>().Select(r => (r.Target.ToString(), r.Port)).Order();
        Assert.Equal([("db-0.db.shop.svc.cluster.local.", (ushort)5432), ("db-1.db.shop.svc.cluster.local.", (ushort)5432), ("db-2.db.shop.svc.cluster.local.", (ushort)5432)], targets);
        var additional = answer.AdditionalRecords.OfType<ARecord>().ToDictionary(r => r.Name.ToString(), r => r.Address);
        Assert.Equal(Cluster.PodsByName["shop/db-1"].Status.PodIP, additional["db-1.db.shop.svc.cluster.local."]);
    }

    [Fact]
    public async Task Unknown_names_are_nxdomain_and_names_outside_the_cluster_are_refused_on_the_wire()
    {
        await using var dns = TestDnsServer.Start(Cluster);

        var unknown = await TestDnsServer.AskUdpAsync(dns.Udp, "web.shop.svc.cluster.local", RecordType.A);
        var outside = await TestDnsServer.AskTcpAsync(dns.Tcp, "example.com", RecordType.A);

        Assert.Equal(ReturnCode.NxDomain, unknown?.ReturnCode);
        Assert.IsType<SoaRecord>(Assert.Single(unknown!.AuthorityRecords));
        Assert.Equal(ReturnCode.Refused, outside?.ReturnCode);
        Assert.Empty(outside!.AnswerRecords);
    }

    [Fact]
    public async Task Each_query_is_answered_from_the_state_current_at_that_moment()
    {
        await using var dns = TestDnsServer.Start(Cluster);
        var before = await TestDnsServer.AskUdpAsync(dns.Udp, "web.shop.svc.cluster.local", RecordType.A);

        var changed = Maille.TestKit.Cluster.Valid(Shop + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: api}, ports: [{port: 80}]}\n");
        dns.State = changed;
        var after = await TestDnsServer.AskUdpAsync(dns.Udp, "web.shop.svc.cluster.local", RecordType.A);

        Assert.Equal(ReturnCode.NxDomain, before?.ReturnCode);
        Assert.Equal(ReturnCode.NoError, after?.ReturnCode);
        Assert.Equal(ClusterIP(changed, "shop/web"), Assert.IsType<ARecord>(Assert.Single(after!.AnswerRecords)).Address);
    }

    [Fact]
    public async Task A_large_answer_is_truncated_over_udp_and_whole_over_tcp()
    {
        var cluster = Maille.TestKit.Cluster.Valid(Shop + Headless(replicas: 120));
        await using var dns = TestDnsServer.Start(cluster);

        var udp = await TestDnsServer.ExchangeUdpAsync(dns.Udp, "many.shop.svc.cluster.local", RecordType.A, edns: false);
        var udpWithEdns = await TestDnsServer.ExchangeUdpAsync(dns.Udp, "many.shop.svc.cluster.local", RecordType.A, edns: true);
        var tcp = await TestDnsServer.AskTcpAsync(dns.Tcp, "many.shop.svc.cluster.local", RecordType.A);

        output.WriteLine($"UDP: {udp.AnswerRecords.Count} records without EDNS, {udpWithEdns.AnswerRecords.Count} with EDNS; TCP: {tcp?.AnswerRecords.Count}");
        Assert.True(udp.IsTruncated);
        Assert.InRange(udp.AnswerRecords.Count, 1, 119);
        Assert.True(udpWithEdns.IsTruncated); // 120 records need more than 1232 bytes too
        Assert.InRange(udpWithEdns.AnswerRecords.Count, udp.AnswerRecords.Count + 1, 119);
        Assert.Equal(120, tcp?.AnswerRecords.Count);
        Assert.False(tcp!.IsTruncated);
    }

    [Fact]
    public async Task A_tcp_connection_answers_several_queries_and_is_closed_once_idle()
    {
        await using var dns = TestDnsServer.Start(Cluster, new Maille.Lab.Dns.ClusterDnsServerOptions { TcpIdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(dns.Tcp, timeout.Token);

        var answers = new List<DnsMessage>();
        foreach (var name in new[] { "api.shop.svc.cluster.local", "db-0.db.shop.svc.cluster.local" })
        {
            var query = await TestDnsServer.QueryBytesAsync(name, RecordType.A, edns: false);
            await client.SendAsync((byte[])[(byte)(query.Length >> 8), (byte)query.Length, .. query], SocketFlags.None, timeout.Token);
            var length = new byte[2];
            await ReceiveExactlyAsync(client, length, timeout.Token);
            var response = new byte[(length[0] << 8) | length[1]];
            await ReceiveExactlyAsync(client, response, timeout.Token);
            answers.Add(DnsMessage.Parse(new ArraySegment<byte>(response)));
        }

        var idle = System.Diagnostics.Stopwatch.StartNew();
        var closed = await client.ReceiveAsync(new byte[16], SocketFlags.None, timeout.Token);
        idle.Stop();

        Assert.Equal(ClusterIP(Cluster, "shop/api"), Assert.IsType<ARecord>(Assert.Single(answers[0].AnswerRecords)).Address);
        Assert.Equal(Cluster.PodsByName["shop/db-0"].Status.PodIP, Assert.IsType<ARecord>(Assert.Single(answers[1].AnswerRecords)).Address);
        Assert.Equal(0, closed); // the server closed the idle connection
        Assert.InRange(idle.Elapsed, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Names_match_whatever_their_case()
    {
        await using var dns = TestDnsServer.Start(Cluster);

        var answer = await TestDnsServer.AskUdpAsync(dns.Udp, "API.Shop.SVC.cluster.LOCAL", RecordType.A);

        Assert.Equal(ClusterIP(Cluster, "shop/api"), Assert.IsType<ARecord>(Assert.Single(answer!.AnswerRecords)).Address);
    }

    [Fact]
    public async Task Two_dns_pods_answer_alike_and_a_removed_pod_stops_answering_while_the_other_goes_on()
    {
        await using var dns = TestDnsServer.Start(Cluster);
        var second = new PodId("kube-system", "coredns-b");
        var secondUdp = dns.AddUdp(second);
        var secondTcp = dns.AddTcp(second);
        var viaSecond = await TestDnsServer.AskUdpAsync(secondUdp, "api.shop.svc.cluster.local", RecordType.A);
        Assert.Equal(ClusterIP(Cluster, "shop/api"), Assert.IsType<ARecord>(Assert.Single(viaSecond!.AnswerRecords)).Address);

        Assert.True(dns.Server.RemovePod(second));

        using var refused = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var error = await Assert.ThrowsAsync<SocketException>(() => refused.ConnectAsync(secondTcp));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.Equal(ReturnCode.NoError, (await TestDnsServer.AskTcpAsync(dns.Tcp, "api.shop.svc.cluster.local", RecordType.A))?.ReturnCode);
        Assert.Equal([new PodPort(TestDnsServer.DnsPod, Protocol.UDP, 53), new PodPort(TestDnsServer.DnsPod, Protocol.TCP, 53)], dns.Server.Ports);
    }

    [Fact]
    public async Task A_socket_that_does_not_fit_a_port_already_served_and_sctp_are_refused()
    {
        await using var dns = TestDnsServer.Start(Cluster);
        using var stream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        stream.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var datagram = Workloads.Loopback.BindUdp();
        var pod = new PodId("kube-system", "coredns-c");

        Assert.Throws<ArgumentException>(() => dns.Server.AddPort(new PodPort(pod, Protocol.UDP, 53), stream));
        Assert.Throws<ArgumentException>(() => dns.Server.AddPort(new PodPort(TestDnsServer.DnsPod, Protocol.UDP, 53), datagram));
        Assert.Throws<ArgumentException>(() => dns.Server.AddPort(new PodPort(pod, Protocol.SCTP, 53), datagram));
    }

    [Fact]
    public async Task Garbage_over_udp_and_tcp_leaves_the_server_answering()
    {
        await using var dns = TestDnsServer.Start(Cluster);
        using var udp = Workloads.Loopback.BindUdp();
        await udp.SendToAsync("not a dns message at all"u8.ToArray(), SocketFlags.None, dns.Udp);
        using (var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await tcp.ConnectAsync(dns.Tcp);
            await tcp.SendAsync(new byte[] { 0, 5, 1, 2, 3, 4, 5 }, SocketFlags.None);
        }

        var afterUdp = await TestDnsServer.AskUdpAsync(dns.Udp, "api.shop.svc.cluster.local", RecordType.A);
        var afterTcp = await TestDnsServer.AskTcpAsync(dns.Tcp, "api.shop.svc.cluster.local", RecordType.A);

        foreach (var entry in dns.Log.Entries)
        {
            output.WriteLine(entry.ToString());
        }

        Assert.Equal(ReturnCode.NoError, afterUdp?.ReturnCode);
        Assert.Equal(ReturnCode.NoError, afterTcp?.ReturnCode);
        Assert.DoesNotContain(dns.Log.Entries, entry => entry.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Serving_queries_logs_no_warnings()
    {
        var dns = TestDnsServer.Start(Cluster);
        await TestDnsServer.AskUdpAsync(dns.Udp, "api.shop.svc.cluster.local", RecordType.A);
        await TestDnsServer.AskTcpAsync(dns.Tcp, "nowhere.shop.svc.cluster.local", RecordType.Aaaa);
        await dns.DisposeAsync();

        foreach (var entry in dns.Log.Entries)
        {
            output.WriteLine(entry.ToString());
        }

        Assert.DoesNotContain(dns.Log.Entries, entry => entry.Level >= LogLevel.Warning);
        Assert.Contains(dns.Log.Entries, entry => entry.EventId.Id == 633); // an answer
    }
}
