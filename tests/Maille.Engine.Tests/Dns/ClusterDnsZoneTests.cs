using System.Net;
using Maille.Engine.Dns;
using Maille.Model;

namespace Maille.Engine.Tests.Dns;

// IP plan: Service CIDR 198.18.128.0/17, pods from 198.19.0.0/16 (one /24 per node). Addresses are read from the plan,
// never written here. Namespace "shop": Services api (ClusterIP, port http 80→8080/TCP) and metrics (one unnamed port
// 9090/TCP) over a Deployment of 2; headless Service db over a StatefulSet of 3 (port pg 5432→postgres 6432); headless Service box over
// explicit pods (one unready); ExternalName Services; a hostNetwork pod.
public sealed class ClusterDnsZoneTests
{
    private const string Shop = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop}
        spec:
          replicas: 2
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec:
          selector: {app: api}
          ports: [{name: http, port: 80, targetPort: http}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: metrics, namespace: shop}
        spec: {selector: {app: api}, ports: [{port: 9090}]}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          replicas: 3
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: c, ports: [{name: postgres, containerPort: 6432}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: shop}
        spec:
          clusterIP: None
          selector: {app: db}
          ports: [{name: pg, port: 5432, targetPort: postgres}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: shipping, namespace: shop}
        spec: {type: ExternalName, externalName: shipping.example.com}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: orders, namespace: shop}
        spec: {type: ExternalName, externalName: api.shop.svc.cluster.local}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: agent, namespace: shop}
        spec: {nodeName: node-1, hostNetwork: true, containers: [{name: c}]}

        """;

    private static string BoxPod(string name, bool ready, string hostname = "")
    {
        var naming = hostname.Length > 0 ? $"hostname: {hostname}, subdomain: box, " : "";
        var status = ready ? "True" : "False";
        return $$$"""
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: {{{name}}}, namespace: shop, labels: {app: box}}
            spec: {nodeName: node-2, {{{naming}}}containers: [{name: c, ports: [{name: web, containerPort: 80}]}]}
            status: {conditions: [{type: Ready, status: "{{{status}}}"}]}

            """;
    }

    private static string BoxService(bool publishNotReady = false)
    {
        var publish = publishNotReady ? "true" : "false";
        return $$"""
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: box, namespace: shop}
            spec:
              clusterIP: None
              publishNotReadyAddresses: {{publish}}
              selector: {app: box}
              ports: [{name: web, port: 80}]

            """;
    }

    private static readonly ClusterState Cluster = Maille.TestKit.Cluster.Valid(Shop + BoxPod("box-a", ready: true, hostname: "first") + BoxPod("box-b", ready: false) + BoxPod("box-c", ready: true) + BoxService());

    private static readonly ClusterDnsZone Zone = ClusterDnsZone.Build(Cluster);

    private static readonly string[] DbPods = ["db-0", "db-1", "db-2"];

    private static IPAddress PodIP(string name, ClusterState? cluster = null) => (cluster ?? Cluster).PodsByName[name].Status.PodIP!;

    private static IPAddress ClusterIP(string name) => Cluster.ServicesByName[name].ClusterIP!;

    private static IReadOnlyList<string> Answers(string name, DnsRecordType type, ClusterDnsZone? zone = null) =>
        [.. (zone ?? Zone).Resolve(new DnsQuestion(name, type)).Answers.Select(r => r.ToString())];

    private static IEnumerable<IPAddress> Sorted(IEnumerable<IPAddress> addresses) => addresses.Order(AddressOrder.Instance);

    [Fact]
    public void A_service_with_a_cluster_ip_answers_its_cluster_ip()
    {
        var answer = Zone.Resolve(new DnsQuestion("api.shop.svc.cluster.local", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.NoError, answer.Code);
        Assert.True(answer.Authoritative);
        Assert.Equal([$"api.shop.svc.cluster.local. 5 IN A {ClusterIP("shop/api")}"], answer.Answers.Select(r => r.ToString()));
        Assert.Empty(answer.Authority);
    }

    [Fact]
    public void Names_compare_case_insensitively_and_the_answer_echoes_the_name_as_asked()
    {
        Assert.Equal([$"Api.SHOP.svc.Cluster.Local. 5 IN A {ClusterIP("shop/api")}"], Answers("Api.SHOP.svc.Cluster.Local.", DnsRecordType.A));
        Assert.Equal([$"DB-0.Db.shop.SVC.cluster.local. 5 IN A {PodIP("shop/db-0")}"], Answers("DB-0.Db.shop.SVC.cluster.local", DnsRecordType.A));
    }

    [Fact]
    public void A_headless_service_answers_the_addresses_of_its_ready_pods()
    {
        var expected = Sorted(DbPods.Select(p => PodIP($"shop/{p}"))).Select(ip => $"db.shop.svc.cluster.local. 5 IN A {ip}");

        Assert.Equal(expected, Answers("db.shop.svc.cluster.local", DnsRecordType.A));
    }

    [Fact]
    public void Not_ready_endpoints_are_left_out_of_a_headless_answer()
    {
        var expected = Sorted([PodIP("shop/box-a"), PodIP("shop/box-c")]).Select(ip => $"box.shop.svc.cluster.local. 5 IN A {ip}");

        Assert.Equal(expected, Answers("box.shop.svc.cluster.local", DnsRecordType.A));
        Assert.DoesNotContain(Answers("box.shop.svc.cluster.local", DnsRecordType.A), line => line.EndsWith($" {PodIP("shop/box-b")}", StringComparison.Ordinal));
    }

    [Fact]
    public void Publish_not_ready_addresses_puts_unready_pods_in_the_answer()
    {
        var cluster = Maille.TestKit.Cluster.Valid(Shop + BoxPod("box-a", ready: true) + BoxPod("box-b", ready: false) + BoxService(publishNotReady: true));

        var answers = Answers("box.shop.svc.cluster.local", DnsRecordType.A, ClusterDnsZone.Build(cluster));

        Assert.Equal(Sorted([PodIP("shop/box-a", cluster), PodIP("shop/box-b", cluster)]).Select(ip => $"box.shop.svc.cluster.local. 5 IN A {ip}"), answers);
    }

    [Fact]
    public void A_headless_service_without_ready_endpoints_is_nxdomain()
    {
        var cluster = Maille.TestKit.Cluster.Valid(Shop + BoxPod("box-b", ready: false) + BoxService());

        var answer = ClusterDnsZone.Build(cluster).Resolve(new DnsQuestion("box.shop.svc.cluster.local", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.NameError, answer.Code);
        Assert.Empty(answer.Answers);
    }

    [Fact]
    public void StatefulSet_pods_resolve_by_pod_name_under_their_governing_service()
    {
        Assert.Equal([$"db-1.db.shop.svc.cluster.local. 5 IN A {PodIP("shop/db-1")}"], Answers("db-1.db.shop.svc.cluster.local", DnsRecordType.A));
        Assert.Equal(DnsResponseCode.NameError, Zone.Resolve(new DnsQuestion("db-3.db.shop.svc.cluster.local", DnsRecordType.A)).Code);
    }

    [Fact]
    public void A_pod_with_hostname_and_subdomain_resolves_under_the_headless_service_of_that_name()
    {
        Assert.Equal([$"first.box.shop.svc.cluster.local. 5 IN A {PodIP("shop/box-a")}"], Answers("first.box.shop.svc.cluster.local", DnsRecordType.A));
    }

    [Fact]
    public void A_headless_endpoint_without_hostname_resolves_at_its_dashed_address()
    {
        var ip = PodIP("shop/box-c");
        var dashed = ip.ToString().Replace('.', '-');

        Assert.Equal([$"{dashed}.box.shop.svc.cluster.local. 5 IN A {ip}"], Answers($"{dashed}.box.shop.svc.cluster.local", DnsRecordType.A));
    }

    [Fact]
    public void An_unready_pod_has_no_hostname_record()
    {
        var cluster = Maille.TestKit.Cluster.Valid(Shop + BoxPod("box-a", ready: true) + BoxPod("box-b", ready: false, hostname: "second") + BoxService());

        var answer = ClusterDnsZone.Build(cluster).Resolve(new DnsQuestion("second.box.shop.svc.cluster.local", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.NameError, answer.Code);
    }

    [Fact]
    public void A_named_port_of_a_service_with_a_cluster_ip_has_an_srv_record_to_the_service_name()
    {
        var answer = Zone.Resolve(new DnsQuestion("_http._tcp.api.shop.svc.cluster.local", DnsRecordType.SRV));

        Assert.Equal(["_http._tcp.api.shop.svc.cluster.local. 5 IN SRV 0 100 80 api.shop.svc.cluster.local."], answer.Answers.Select(r => r.ToString()));
        Assert.Equal([$"api.shop.svc.cluster.local. 5 IN A {ClusterIP("shop/api")}"], answer.Additional.Select(r => r.ToString()));
    }

    [Fact]
    public void A_named_port_of_a_headless_service_has_one_srv_record_per_ready_endpoint_with_the_pod_port()
    {
        var answer = Zone.Resolve(new DnsQuestion("_pg._tcp.db.shop.svc.cluster.local", DnsRecordType.SRV));

        Assert.Equal(
            DbPods.Select(p => $"_pg._tcp.db.shop.svc.cluster.local. 5 IN SRV 0 33 6432 {p}.db.shop.svc.cluster.local."),
            answer.Answers.Select(r => r.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(
            DbPods.Select(p => $"{p}.db.shop.svc.cluster.local. 5 IN A {PodIP($"shop/{p}")}"),
            answer.Additional.Select(r => r.ToString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("_http._udp.api.shop.svc.cluster.local")] // the port is TCP
    [InlineData("_9090._tcp.metrics.shop.svc.cluster.local")] // unnamed ports have no SRV record
    [InlineData("_tcp.metrics.shop.svc.cluster.local")] // so no SRV record lies below this name either
    [InlineData("_web._tcp.api.shop.svc.cluster.local")] // no such port
    [InlineData("_http._tcp.shipping.shop.svc.cluster.local")] // an ExternalName has no ports to locate
    public void Srv_names_without_a_named_port_behind_them_are_nxdomain(string name)
    {
        Assert.Equal(DnsResponseCode.NameError, Zone.Resolve(new DnsQuestion(name, DnsRecordType.SRV)).Code);
    }

    [Fact]
    public void A_pod_address_resolves_at_its_dashed_name_in_its_own_namespace_only()
    {
        var ip = PodIP("shop/db-0");
        var dashed = ip.ToString().Replace('.', '-');

        Assert.Equal([$"{dashed}.shop.pod.cluster.local. 5 IN A {ip}"], Answers($"{dashed}.shop.pod.cluster.local", DnsRecordType.A));
        Assert.Equal(DnsResponseCode.NameError, Zone.Resolve(new DnsQuestion($"{dashed}.default.pod.cluster.local", DnsRecordType.A)).Code);
        Assert.Equal(DnsResponseCode.NameError, Zone.Resolve(new DnsQuestion("198-19-250-250.shop.pod.cluster.local", DnsRecordType.A)).Code);
    }

    [Fact]
    public void An_external_name_service_answers_with_a_cname_whatever_the_type_asked()
    {
        var expected = "shipping.shop.svc.cluster.local. 5 IN CNAME shipping.example.com.";

        Assert.Equal([expected], Answers("shipping.shop.svc.cluster.local", DnsRecordType.A));
        Assert.Equal([expected], Answers("shipping.shop.svc.cluster.local", DnsRecordType.CNAME));
        Assert.Equal([expected], Answers("shipping.shop.svc.cluster.local", DnsRecordType.AAAA));
    }

    [Fact]
    public void An_external_name_inside_the_cluster_zone_is_followed_to_its_address()
    {
        Assert.Equal(
            ["orders.shop.svc.cluster.local. 5 IN CNAME api.shop.svc.cluster.local.", $"api.shop.svc.cluster.local. 5 IN A {ClusterIP("shop/api")}"],
            Answers("orders.shop.svc.cluster.local", DnsRecordType.A));
    }

    [Fact]
    public void External_names_that_point_at_each_other_are_followed_a_bounded_number_of_times()
    {
        const string Loop = """
            apiVersion: v1
            kind: Service
            metadata: {name: ping, namespace: shop}
            spec: {type: ExternalName, externalName: pong.shop.svc.cluster.local}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: pong, namespace: shop}
            spec: {type: ExternalName, externalName: ping.shop.svc.cluster.local}
            """;
        var zone = ClusterDnsZone.Build(Maille.TestKit.Cluster.Valid(Loop));

        var answer = zone.Resolve(new DnsQuestion("ping.shop.svc.cluster.local", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.NoError, answer.Code);
        Assert.Equal(9, answer.Answers.Count);
        Assert.All(answer.Answers, r => Assert.Equal(DnsRecordType.CNAME, r.Type));
    }

    [Fact]
    public void An_external_name_to_a_missing_name_in_the_zone_is_nxdomain_after_the_cname()
    {
        var cluster = Maille.TestKit.Cluster.Valid("apiVersion: v1\nkind: Service\nmetadata: {name: gone, namespace: shop}\nspec: {type: ExternalName, externalName: nothing.shop.svc.cluster.local}\n");

        var answer = ClusterDnsZone.Build(cluster).Resolve(new DnsQuestion("gone.shop.svc.cluster.local", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.NameError, answer.Code);
        Assert.Equal(["gone.shop.svc.cluster.local. 5 IN CNAME nothing.shop.svc.cluster.local."], answer.Answers.Select(r => r.ToString()));
        Assert.Equal(DnsRecordType.SOA, Assert.Single(answer.Authority).Type);
    }

    [Fact]
    public void The_reverse_name_of_a_cluster_ip_points_to_the_service()
    {
        var reverse = DnsNames.Reverse(ClusterIP("shop/api"));

        Assert.Equal([$"{reverse} 5 IN PTR api.shop.svc.cluster.local."], Answers(reverse, DnsRecordType.PTR));
    }

    [Fact]
    public void The_reverse_name_of_a_pod_address_points_to_its_hostname_under_a_headless_service_or_else_to_its_pod_name()
    {
        var statefulPod = DnsNames.Reverse(PodIP("shop/db-2"));
        var apiPodIP = Cluster.Pods.First(p => p.Name.StartsWith("api-", StringComparison.Ordinal)).Status.PodIP!;
        var apiPod = DnsNames.Reverse(apiPodIP);

        Assert.Equal([$"{statefulPod} 5 IN PTR db-2.db.shop.svc.cluster.local."], Answers(statefulPod, DnsRecordType.PTR));
        Assert.Equal([$"{apiPod} 5 IN PTR {apiPodIP.ToString().Replace('.', '-')}.shop.pod.cluster.local."], Answers(apiPod, DnsRecordType.PTR));
    }

    [Fact]
    public void A_host_network_pod_leaves_its_node_address_without_a_reverse_name()
    {
        var nodeAddress = PodIP("shop/agent");

        Assert.Equal(DnsResponseCode.Refused, Zone.Resolve(new DnsQuestion(DnsNames.Reverse(nodeAddress), DnsRecordType.PTR)).Code);
    }

    [Fact]
    public void Unknown_addresses_are_nxdomain_inside_the_cluster_ranges_and_refused_outside()
    {
        Assert.Equal(DnsResponseCode.NameError, Zone.Resolve(new DnsQuestion("254.255.18.198.in-addr.arpa.", DnsRecordType.PTR)).Code);
        Assert.Equal(DnsResponseCode.NameError, Zone.Resolve(new DnsQuestion("250.250.19.198.in-addr.arpa.", DnsRecordType.PTR)).Code);
        Assert.Equal(DnsResponseCode.Refused, Zone.Resolve(new DnsQuestion("8.8.8.8.in-addr.arpa.", DnsRecordType.PTR)).Code);
        Assert.Equal(DnsResponseCode.Refused, Zone.Resolve(new DnsQuestion("19.198.in-addr.arpa.", DnsRecordType.PTR)).Code);
    }

    [Theory]
    [InlineData("web.shop.svc.cluster.local")] // no such Service
    [InlineData("api.nowhere.svc.cluster.local")] // no such namespace
    [InlineData("nowhere.svc.cluster.local")]
    [InlineData("api.shop.shop.svc.cluster.local")] // the first try of "api.shop" from a pod in shop, through its search path
    [InlineData("x.api.shop.svc.cluster.local")] // a Service with a ClusterIP has no hostnames below it
    [InlineData("api.shop.cluster.local")]
    public void Unknown_names_in_the_cluster_zone_are_nxdomain_with_the_zone_authority(string name)
    {
        var answer = Zone.Resolve(new DnsQuestion(name, DnsRecordType.A));

        Assert.Equal(DnsResponseCode.NameError, answer.Code);
        Assert.Empty(answer.Answers);
        Assert.Equal("cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 5", Assert.Single(answer.Authority).ToString());
    }

    [Theory]
    [InlineData("api.shop.svc.cluster.local", (ushort)DnsRecordType.AAAA)] // asked beside A by every stub resolver
    [InlineData("api.shop.svc.cluster.local", (ushort)DnsRecordType.TXT)]
    [InlineData("api.shop.svc.cluster.local", 15)] // MX
    [InlineData("db-0.db.shop.svc.cluster.local", (ushort)DnsRecordType.SRV)]
    [InlineData("shop.svc.cluster.local", (ushort)DnsRecordType.A)] // a namespace: a name with names below it
    [InlineData("_tcp.api.shop.svc.cluster.local", (ushort)DnsRecordType.A)]
    [InlineData("svc.cluster.local", (ushort)DnsRecordType.A)]
    [InlineData("cluster.local", (ushort)DnsRecordType.A)]
    public void Existing_names_asked_for_another_type_answer_noerror_and_nothing(string name, ushort type)
    {
        var answer = Zone.Resolve(new DnsQuestion(name, (DnsRecordType)type));

        Assert.Equal(DnsResponseCode.NoError, answer.Code);
        Assert.Empty(answer.Answers);
        Assert.Equal(DnsRecordType.SOA, Assert.Single(answer.Authority).Type);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("localhost")]
    [InlineData(".")]
    [InlineData("cluster.local.example.com")]
    public void Names_outside_the_cluster_zone_are_refused_for_there_is_no_upstream(string name)
    {
        var answer = Zone.Resolve(new DnsQuestion(name, DnsRecordType.A));

        Assert.Equal(DnsResponseCode.Refused, answer.Code);
        Assert.False(answer.Authoritative);
    }

    [Fact]
    public void The_zone_publishes_its_schema_version_and_its_name_server()
    {
        Assert.Equal(["dns-version.cluster.local. 5 IN TXT \"1.1.0\""], Answers("dns-version.cluster.local", DnsRecordType.TXT));
        Assert.Equal(["cluster.local. 5 IN NS ns.dns.cluster.local."], Answers("cluster.local", DnsRecordType.NS));
        Assert.Equal([$"ns.dns.cluster.local. 5 IN A {Cluster.Config.EffectiveDnsServiceIP}"], Answers("ns.dns.cluster.local", DnsRecordType.A));
    }

    [Fact]
    public void Any_returns_every_record_at_the_name()
    {
        Assert.Equal(
            ["cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 5", "cluster.local. 5 IN NS ns.dns.cluster.local."],
            Answers("cluster.local", DnsRecordType.ANY));
    }

    [Fact]
    public void The_cluster_domain_comes_from_the_configuration()
    {
        var config = ClusterConfig.Default with { DnsDomain = "Lab.Example" };
        var zone = ClusterDnsZone.Build(Maille.TestKit.Cluster.Valid(Shop, config));

        Assert.Equal("lab.example.", zone.Zone);
        Assert.Single(Answers("api.shop.svc.lab.example", DnsRecordType.A, zone));
        Assert.Equal(DnsResponseCode.Refused, zone.Resolve(new DnsQuestion("api.shop.svc.cluster.local", DnsRecordType.A)).Code);
    }
}
