using System.Net;
using Maille.Engine.Trace;
using Maille.TestKit;

namespace Maille.Engine.Tests.Trace;

// IP plan: node-1 198.18.0.11 (pods 198.19.1.0/24), node-2 198.18.0.12 (pods 198.19.2.0/24); external client 198.18.0.2.
// Namespace "app": client 198.19.1.2 (node-1, no ports); web-a 198.19.1.3 (node-1) and web-b 198.19.2.2 (node-2) serve 8080/TCP "http".
public sealed class TracerTests
{
    private const string Base = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: app}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-a, namespace: app, labels: {app: web}}
        spec: {nodeName: node-1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-b, namespace: app, labels: {app: web}}
        spec: {nodeName: node-2, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client, namespace: app, labels: {app: client}}
        spec: {nodeName: node-1, containers: [{name: c}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: app}
        spec:
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: http}]

        """;

    private static TraceResult Trace(string yaml, string from, string to)
    {
        var cluster = Cluster.Valid(yaml);
        var source = from.StartsWith("external", StringComparison.Ordinal)
            ? new TraceSource(null, from.Length > 8 ? IPAddress.Parse(from[9..]) : Tracer.DefaultExternalAddress(cluster.Config))
            : new TraceSource(cluster.PodsByName[from], cluster.PodsByName[from].Status.PodIP!);
        var target = TraceTarget.TryParse(to, "cluster.local", out var error) ?? throw new InvalidOperationException(error);
        return Tracer.For(cluster).Trace(source, target);
    }

    [Fact]
    public void A_service_name_resolves_to_its_cluster_ip_and_every_ready_endpoint_is_a_candidate()
    {
        var result = Trace(Base, "app/client", "web.app.svc.cluster.local:80");
        Assert.Equal(TraceResult.Allowed, result.Verdict);
        Assert.Equal("dns", result.Hops[0].Stage);
        Assert.Equal(["app/web-a", "app/web-b"], result.Endpoints.Select(e => e.Pod));
        Assert.All(result.Endpoints, e => Assert.Equal(8080, e.Port));
        Assert.Contains(result.Hops, h => h.Stage == "node" && h.Result == "node-1 → node-2");
    }

    [Fact]
    public void A_name_that_does_not_exist_is_unreachable()
    {
        var result = Trace(Base, "app/client", "nope.app:80");
        Assert.Equal(TraceResult.Unreachable, result.Verdict);
        Assert.Equal("NXDOMAIN", result.Hops.Single().Result);
    }

    [Fact]
    public void An_undefined_service_port_is_rejected()
    {
        var result = Trace(Base, "app/client", "web.app:81");
        Assert.Equal(TraceResult.Unreachable, result.Verdict);
        Assert.Contains("has no port 81/TCP", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_without_ready_endpoints_rejects()
    {
        var yaml = Base + "---\napiVersion: v1\nkind: Service\nmetadata: {name: empty, namespace: app}\nspec: {selector: {app: none}, ports: [{port: 80}]}\n";
        var result = Trace(yaml, "app/client", "empty.app:80");
        Assert.Equal(TraceResult.Unreachable, result.Verdict);
        Assert.Contains("no ready endpoint", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_external_name_service_is_a_cname_and_unreachable()
    {
        var yaml = Base + "---\napiVersion: v1\nkind: Service\nmetadata: {name: pay, namespace: app}\nspec: {type: ExternalName, externalName: pay.example.com}\n";
        var result = Trace(yaml, "app/client", "pay.app:443");
        Assert.Equal(TraceResult.Unreachable, result.Verdict);
        Assert.Equal("CNAME pay.example.com", result.Hops.Single().Result);
    }

    [Fact]
    public void A_headless_service_name_goes_straight_to_the_pods()
    {
        var yaml = Base + "---\napiVersion: v1\nkind: Service\nmetadata: {name: direct, namespace: app}\nspec: {clusterIP: None, selector: {app: web}, ports: [{port: 8080}]}\n";
        var result = Trace(yaml, "app/client", "direct.app:8080");
        Assert.Equal(TraceResult.Allowed, result.Verdict);
        Assert.Equal("198.19.1.3, 198.19.2.2", result.Hops[0].Result);
    }

    [Fact]
    public void A_cluster_ip_is_not_reachable_from_outside()
    {
        var cluster = Cluster.Valid(Base);
        var result = Trace(Base, "external", $"{cluster.ServicesByName["app/web"].ClusterIP}:80");
        Assert.Equal(TraceResult.Unreachable, result.Verdict);
        Assert.Contains("only from inside the cluster", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_port_with_local_policy_uses_only_endpoints_on_the_receiving_node_and_keeps_the_client_address()
    {
        var yaml = Base + "---\napiVersion: v1\nkind: Service\nmetadata: {name: np, namespace: app}\nspec: {type: NodePort, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}\n";
        var result = Trace(yaml, "external", "198.18.0.12:30080");
        Assert.Equal(TraceResult.Allowed, result.Verdict);
        Assert.Equal("app/web-b", Assert.Single(result.Endpoints).Pod);
        Assert.Contains(result.Hops, h => h.Stage == "egress-policy" && h.Detail.StartsWith("198.18.0.2 →", StringComparison.Ordinal));
    }

    [Fact]
    public void Node_port_with_local_policy_and_no_local_endpoint_drops()
    {
        var yaml = Base.Replace("nodeName: node-2", "nodeName: node-1", StringComparison.Ordinal)
            + "---\napiVersion: v1\nkind: Service\nmetadata: {name: np, namespace: app}\nspec: {type: NodePort, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}\n";
        var result = Trace(yaml, "external", "198.18.0.12:30080");
        Assert.Equal(TraceResult.Unreachable, result.Verdict);
        Assert.Contains("the packet is dropped", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pod_reaching_a_node_port_with_local_policy_is_short_circuited_to_every_endpoint()
    {
        // kube-proxy's "short-circuit pod traffic": pods skip externalTrafficPolicy, so node-1 (no local endpoint since
        // web-a moved away) still sends the client's connection to web-b, as the rendered rules do.
        var yaml = Base.Replace("nodeName: node-1, containers: [{name: c, ports", "nodeName: node-2, containers: [{name: c, ports", StringComparison.Ordinal)
            + "---\napiVersion: v1\nkind: Service\nmetadata: {name: np, namespace: app}\nspec: {type: NodePort, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}\n";
        var result = Trace(yaml, "app/client", "198.18.0.11:30080");
        Assert.Equal(["app/web-a", "app/web-b"], result.Endpoints.Select(e => e.Pod).Order());
        Assert.Contains("short-circuited", result.Hops.Single(h => h.Stage == "service").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_network_pod_skips_local_policy_only_at_its_own_node_s_node_port()
    {
        // host (node-1's address) is the node itself at node-1, and a client from the node network at node-2.
        var yaml = Base
            + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: host, namespace: app}\nspec: {nodeName: node-1, hostNetwork: true, containers: [{name: c}]}\n"
            + "---\napiVersion: v1\nkind: Service\nmetadata: {name: np, namespace: app}\nspec: {type: NodePort, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}\n";
        Assert.Equal(["app/web-a", "app/web-b"], Trace(yaml, "app/host", "198.18.0.11:30080").Endpoints.Select(e => e.Pod).Order());
        Assert.Equal("app/web-b", Assert.Single(Trace(yaml, "app/host", "198.18.0.12:30080").Endpoints).Pod);
    }

    [Fact]
    public void A_pod_reaching_another_node_s_node_port_with_local_policy_is_not_short_circuited()
    {
        // The client (node-1) sends to node-2's address: node-1's rules do not capture it, and node-2 sees a client
        // from the node network (the kernel rung of the Service ladder found the unmasqueraded short-circuit broken).
        var yaml = Base.Replace("nodeName: node-2, containers: [{name: c, ports", "nodeName: node-1, containers: [{name: c, ports", StringComparison.Ordinal)
            + "---\napiVersion: v1\nkind: Service\nmetadata: {name: np, namespace: app}\nspec: {type: NodePort, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}\n";
        var result = Trace(yaml, "app/client", "198.18.0.12:30080");
        Assert.Equal("dropped", result.Hops.Single(h => h.Stage == "service").Result);
    }

    [Fact]
    public void A_pod_reaching_another_node_s_node_port_is_judged_at_that_node_s_address_and_seen_masqueraded()
    {
        // Egress: the client's packet leaves node-1 for 198.18.0.12:30080 untranslated, so a policy allowing only web
        // pods on 8080 denies it. Ingress: web-a (node-1) gets it from node-2's address, forwarded back; web-b (on
        // node-2 itself) before the masquerade, from the client.
        const string OnlyToWeb = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: only-web, namespace: app}\n"
            + "spec: {podSelector: {matchLabels: {app: client}}, policyTypes: [Egress], egress: [{to: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 8080}]}]}\n";
        const string FromClients = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: from-clients, namespace: app}\n"
            + "spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress], ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]}\n";
        const string NodePort = "---\napiVersion: v1\nkind: Service\nmetadata: {name: np, namespace: app}\nspec: {type: NodePort, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}\n";

        var egress = Trace(Base + NodePort + OnlyToWeb, "app/client", "198.18.0.12:30080");
        Assert.Equal(TraceResult.Denied, egress.Verdict);
        Assert.Contains(egress.Hops, h => h.Stage == "egress-policy" && h.Result == "denied" && h.Detail.Contains("→ 198.18.0.12:30080", StringComparison.Ordinal));
        Assert.Equal(TraceResult.Allowed, Trace(Base + NodePort + OnlyToWeb, "app/client", "web.app:80").Verdict);

        var ingress = Trace(Base + NodePort + FromClients, "app/client", "198.18.0.12:30080");
        Assert.Equal(TraceResult.Denied, ingress.Endpoints.Single(e => e.Pod == "app/web-a").Verdict);
        Assert.Equal(TraceResult.Allowed, ingress.Endpoints.Single(e => e.Pod == "app/web-b").Verdict);
        Assert.Contains(ingress.Hops, h => h.Stage == "ingress-policy" && h.Endpoint == "app/web-a" && h.Detail.StartsWith("198.18.0.12 →", StringComparison.Ordinal));
    }

    [Fact]
    public void A_local_policy_with_no_usable_endpoint_anywhere_rejects_rather_than_drops()
    {
        // Endpoints that are not ready (and not terminating) count as none: kube-proxy rejects, whatever the policy.
        var notReady = "containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}\nstatus: {conditions: [{type: Ready, status: \"False\"}]}";
        var yaml = Base.Replace("containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}", notReady, StringComparison.Ordinal)
            .Replace("ports: [{name: http, port: 80, targetPort: http}]", "internalTrafficPolicy: Local\n  ports: [{name: http, port: 80, targetPort: http}]", StringComparison.Ordinal);
        var result = Trace(yaml, "app/client", "web.app:80");
        Assert.Equal("rejected", result.Hops.Single(h => h.Stage == "service").Result);
        Assert.Contains("the connection is rejected", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_port_with_cluster_policy_masquerades_traffic_forwarded_to_another_node()
    {
        var yaml = Base + "---\napiVersion: v1\nkind: Service\nmetadata: {name: np, namespace: app}\nspec: {type: NodePort, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}\n";
        var result = Trace(yaml, "external", "198.18.0.11:30080");
        var ingress = result.Hops.Where(h => h.Stage == "ingress-policy").ToDictionary(h => h.Endpoint!);
        Assert.StartsWith("198.18.0.2 →", ingress["app/web-a"].Detail, StringComparison.Ordinal);
        Assert.StartsWith("198.18.0.11 →", ingress["app/web-b"].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Internal_traffic_policy_local_keeps_traffic_on_the_client_node()
    {
        var yaml = Base.Replace("ports: [{name: http, port: 80, targetPort: http}]", "internalTrafficPolicy: Local\n  ports: [{name: http, port: 80, targetPort: http}]", StringComparison.Ordinal);
        var result = Trace(yaml, "app/client", "web.app:80");
        Assert.Equal("app/web-a", Assert.Single(result.Endpoints).Pod);
    }

    [Fact]
    public void Terminating_endpoints_are_used_only_when_no_endpoint_is_ready()
    {
        var yaml = Base
            .Replace("metadata: {name: web-a, namespace: app, labels: {app: web}}", "metadata: {name: web-a, namespace: app, labels: {app: web}, deletionTimestamp: \"2026-01-01T00:00:00Z\"}", StringComparison.Ordinal)
            .Replace("metadata: {name: web-b, namespace: app, labels: {app: web}}", "metadata: {name: web-b, namespace: app, labels: {app: web}, deletionTimestamp: \"2026-01-01T00:00:00Z\"}", StringComparison.Ordinal);
        var result = Trace(yaml, "app/client", "web.app:80");
        Assert.Equal(2, result.Endpoints.Count);
        Assert.Contains(result.Hops, h => h.Detail.Contains("falling back to serving, terminating endpoints", StringComparison.Ordinal));
    }

    [Fact]
    public void With_a_local_policy_the_terminating_fallback_is_decided_per_node()
    {
        // web-a (node-1) terminating but serving, web-b (node-2) ready: a NodePort with Local policy on node-1 uses
        // web-a, as kube-proxy on node-1 would, instead of dropping.
        var yaml = Base.Replace("metadata: {name: web-a, namespace: app, labels: {app: web}}", "metadata: {name: web-a, namespace: app, labels: {app: web}, deletionTimestamp: \"2026-01-01T00:00:00Z\"}", StringComparison.Ordinal)
            + "---\napiVersion: v1\nkind: Service\nmetadata: {name: np, namespace: app}\nspec: {type: NodePort, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}\n";
        var result = Trace(yaml, "external", "198.18.0.11:30080");
        Assert.Equal("app/web-a", Assert.Single(result.Endpoints).Pod);
    }

    [Fact]
    public void Endpoint_slices_of_another_address_type_are_not_candidates()
    {
        var yaml = Base + """
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: legacy, namespace: app}
            spec: {ports: [{name: https, port: 443}]}
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: legacy-fqdn, namespace: app, labels: {kubernetes.io/service-name: legacy}}
            addressType: FQDN
            ports: [{name: https, port: 443}]
            endpoints: [{addresses: [billing.example.com]}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: legacy-v4, namespace: app, labels: {kubernetes.io/service-name: legacy}}
            addressType: IPv4
            ports: [{name: https, port: 443}]
            endpoints: [{addresses: [198.18.0.99]}]
            """;
        var result = Trace(yaml, "app/client", "legacy.app:443");
        Assert.Equal("198.18.0.99", Assert.Single(result.Endpoints).Ip);
    }

    [Fact]
    public void A_load_balancer_ip_from_status_is_captured()
    {
        var yaml = Base + "---\napiVersion: v1\nkind: Service\nmetadata: {name: lb, namespace: app}\nspec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}\nstatus: {loadBalancer: {ingress: [{ip: 198.18.0.200}]}}\n";
        var result = Trace(yaml, "external", "198.18.0.200:80");
        Assert.Equal(TraceResult.Allowed, result.Verdict);
        Assert.Contains("LoadBalancer IP 198.18.0.200:80/TCP", result.Hops.Single(h => h.Stage == "service").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_allowed_connection_names_the_rule_that_allowed_it()
    {
        var denyAllButPort9999 = Base + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: only-9999, namespace: app}
            spec:
              podSelector: {matchLabels: {app: web}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: client}}}]
                ports: [{port: 9999}]

            """;
        var denied = Trace(denyAllButPort9999, "app/client", "web.app:80");
        Assert.Equal(TraceResult.Denied, denied.Verdict);
        Assert.All(denied.Endpoints, e => Assert.Equal(["app/only-9999 ingress: no rule allows it"], e.DecidedBy));

        var allowed = Trace(denyAllButPort9999 + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-http, namespace: app}
            spec:
              podSelector: {matchLabels: {app: web}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: client}}}]
                ports: [{port: http}]
            """, "app/client", "web.app:80");
        Assert.Equal(TraceResult.Allowed, allowed.Verdict);
        Assert.All(allowed.Endpoints, e => Assert.Equal(["app/allow-http ingress rule 0 peer 0 port 0"], e.DecidedBy));
    }

    [Fact]
    public void The_verdict_is_mixed_when_only_some_endpoints_are_allowed()
    {
        var yaml = Base.Replace("metadata: {name: web-b, namespace: app, labels: {app: web}}", "metadata: {name: web-b, namespace: app, labels: {app: web, locked: \"yes\"}}", StringComparison.Ordinal) + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: lock-b, namespace: app}
            spec:
              podSelector: {matchLabels: {locked: "yes"}}
              policyTypes: [Ingress]
            """;
        var result = Trace(yaml, "app/client", "web.app:80");
        Assert.Equal(TraceResult.Mixed, result.Verdict);
        Assert.Equal([TraceResult.Allowed, TraceResult.Denied], result.Endpoints.Select(e => e.Verdict));
    }

    [Fact]
    public void A_port_the_pod_does_not_declare_is_refused()
    {
        var result = Trace(Base, "app/client", "app/web-a:9090");
        Assert.Equal(TraceResult.Unreachable, result.Verdict);
        Assert.Equal("refused", result.Hops[^1].Result);
        Assert.Contains("nothing listens", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pod_reaching_its_own_ip_is_always_allowed()
    {
        var yaml = Base + "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all, namespace: app}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n";
        var result = Trace(yaml, "app/web-a", "198.19.1.3:8080");
        Assert.Equal(TraceResult.Allowed, result.Verdict);
        Assert.Equal(["a pod reaching its own IP (always allowed)"], result.Endpoints.Single().DecidedBy);
    }

    [Fact]
    public void An_address_outside_the_cluster_is_judged_by_egress_only()
    {
        var yaml = Base + "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: no-egress, namespace: app}\nspec: {podSelector: {matchLabels: {app: client}}, policyTypes: [Egress]}\n";
        var result = Trace(yaml, "app/client", "203.0.113.10:443");
        Assert.Equal(TraceResult.Denied, result.Verdict);
        Assert.Equal(["app/no-egress egress: no rule allows it"], result.Endpoints.Single().DecidedBy);
        Assert.Equal(TraceResult.Allowed, Trace(Base, "app/client", "203.0.113.10:443").Verdict);
    }

    [Theory]
    [InlineData("web.app:80", "web", "app", 80, "TCP")]
    [InlineData("web.app.svc:53/UDP", "web", "app", 53, "UDP")]
    [InlineData("web.app.svc.cluster.local:80/tcp", "web", "app", 80, "TCP")]
    public void Service_names_parse_in_every_dns_form(string text, string service, string ns, int port, string protocol)
    {
        var target = TraceTarget.TryParse(text, "cluster.local", out _)!;
        Assert.Equal((service, ns, port, protocol), (target.ServiceName, target.Namespace, target.Port, target.Protocol.ToString()));
    }

    [Theory]
    [InlineData("web.app", "expected HOST:PORT")]
    [InlineData("web.app:0", "port must be a number")]
    [InlineData("web.app:80/ICMP", "protocol must be TCP, UDP or SCTP")]
    [InlineData("web:80", "a Service is NAME.NAMESPACE")]
    public void Bad_destinations_are_explained(string text, string message)
    {
        Assert.Null(TraceTarget.TryParse(text, "cluster.local", out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
