using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Probing;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// Privileged: ClusterNetworkPolicy on real packets, through `maille up`, `maille apply` and `maille delete`: upstream's
// CNPAdminTierIntegration (admin-network-policy-standard-integration.go), its subtests in order, on a small world:
// gryffindor/harry (node-1) and slytherin/draco (node-2) serve http on 80 and 8080; hufflepuff/cedric (node-3) is
// the control (its traffic meets no ClusterNetworkPolicy). Admin tier "pass-example" (priority 10) denies gryffindor's ingress from and egress to
// slytherin; gryffindor's NetworkPolicy allows both; the Baseline tier's "default" denies both.
public sealed class LabClusterNetworkPolicyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string World = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: gryffindor, labels: {conformance-house: gryffindor}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: slytherin, labels: {conformance-house: slytherin}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: hufflepuff, labels: {conformance-house: hufflepuff}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: harry, namespace: gryffindor}
        spec: {nodeName: node-1, containers: [{name: c, ports: [{containerPort: 80}, {containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: draco, namespace: slytherin}
        spec: {nodeName: node-2, containers: [{name: c, ports: [{containerPort: 80}, {containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: cedric, namespace: hufflepuff}
        spec: {nodeName: node-3, containers: [{name: c}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: allow-gress-from-to-slytherin-to-gryffindor, namespace: gryffindor}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
          ingress: [{from: [{namespaceSelector: {matchLabels: {conformance-house: slytherin}}}]}]
          egress: [{to: [{namespaceSelector: {matchLabels: {conformance-house: slytherin}}}]}]
        ---
        apiVersion: policy.networking.k8s.io/v1alpha2
        kind: ClusterNetworkPolicy
        metadata: {name: default}
        spec:
          tier: Baseline
          priority: 10
          subject: {namespaces: {matchLabels: {conformance-house: gryffindor}}}
          ingress: [{name: deny-all-ingress-from-slytherin, action: Deny, from: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]}]
          egress: [{name: deny-all-egress-to-slytherin, action: Deny, to: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]}]
        ---

        """;

    /// <summary>The Admin-tier policy with both rules' action.</summary>
    private static string PassExample(string action) => """
        apiVersion: policy.networking.k8s.io/v1alpha2
        kind: ClusterNetworkPolicy
        metadata: {name: pass-example}
        spec:
          tier: Admin
          priority: 10
          subject: {namespaces: {matchLabels: {conformance-house: gryffindor}}}
          ingress: [{name: deny-all-ingress-from-slytherin, action: ACTION, from: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]}]
          egress: [{name: deny-all-egress-to-slytherin, action: ACTION, to: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]}]

        """.Replace("ACTION", action, StringComparison.Ordinal);

    [SkippableFact]
    public void CNPAdminTierIntegration_an_Admin_Deny_beats_a_NetworkPolicy_allow_a_Pass_hands_over_to_NetworkPolicy_and_without_it_the_Baseline_Deny_decides()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(World + PassExample("Deny"), output);
        var (harry, draco) = (PodIP(lab, "gryffindor", "harry"), PodIP(lab, "slytherin", "draco"));

        // draco serves (the control reaches it; harry's ingress is the NetworkPolicy's, which admits only slytherin,
        // and harry is reached once the Admin tier passes).
        Assert.True(Connects(lab, "hufflepuff/cedric", draco, 80) && Connects(lab, "hufflepuff/cedric", draco, 8080), "hufflepuff/cedric must reach draco");

        // "Should Deny traffic from slytherin to gryffindor / to slytherin from gryffindor respecting admin CNP": the
        // Admin tier's Deny comes before the NetworkPolicy that allows it.
        AssertFate(lab, "slytherin/draco", harry, false, "Admin Deny over the NetworkPolicy allow (ingress)");
        AssertFate(lab, "gryffindor/harry", draco, false, "Admin Deny over the NetworkPolicy allow (egress)");
        Assert.True(CounterPackets(lab, "node-1", "cnp-pass-example-ingress-0") >= 2, "the Admin Deny rule counts what it denied on harry's node");

        // "Should support a 'pass-ingress' / 'pass-egress' policy … and respect the match for network policy".
        lab.Succeed("apply", "-f", lab.File("pass.yaml", PassExample("Pass")));
        AssertFate(lab, "slytherin/draco", harry, true, "Admin Pass, then the NetworkPolicy allows (ingress)");
        AssertFate(lab, "gryffindor/harry", draco, true, "Admin Pass, then the NetworkPolicy allows (egress)");

        // "… and respect the match for baseline cluster network policy": without the NetworkPolicy the Baseline decides.
        lab.Succeed("delete", "networkpolicy", "allow-gress-from-to-slytherin-to-gryffindor", "-n", "gryffindor");
        AssertFate(lab, "slytherin/draco", harry, false, "Admin Pass, no NetworkPolicy, Baseline Deny (ingress)");
        AssertFate(lab, "gryffindor/harry", draco, false, "Admin Pass, no NetworkPolicy, Baseline Deny (egress)");
        Assert.True(CounterPackets(lab, "node-1", "cnp-default-ingress-0") >= 2, "the Baseline Deny rule counts what it denied on harry's node");

        // The lab's API serves the kind (cluster-scoped, policy.networking.k8s.io/v1alpha2), as kubectl sees it.
        var kubectl = new Kubectl(lab, output);
        var listed = kubectl.Succeed("get", "clusternetworkpolicies");
        Assert.Matches(@"^NAME\s+TIER\s+PRIORITY\s+AGE\n", listed);
        Assert.Matches(@"\ndefault\s+Baseline\s+10\s", listed);
        Assert.Matches(@"\npass-example\s+Admin\s+10\s", listed);
        var served = System.Text.Json.Nodes.JsonNode.Parse(kubectl.Succeed("get", "clusternetworkpolicy", "pass-example", "-o", "json"))!;
        Assert.Equal("policy.networking.k8s.io/v1alpha2", (string?)served["apiVersion"]);
        Assert.Equal("Pass", (string?)served["spec"]!["ingress"]![0]!["action"]);
        AssertServedConditions(served, lab.Get("nodes")["items"]!.AsArray().Count);

        // The tools name the rule that decided and read its counter from the node's kernel.
        Assert.Matches(@"\npass-example\s+Admin\s+10\s+namespaces: conformance-house=gryffindor\s+1 ingress, 1 egress\s", lab.Succeed("get", "cnp"));
        var trace = lab.Run("trace", "--from", "slytherin/draco", "--to", "gryffindor/harry:80").Stdout;
        output.WriteLine(trace);
        Assert.Matches(@"ingress of gryffindor/harry: passed by Admin tier priority 10 pass-example ingress rule 0 ""deny-all-ingress-from-slytherin"" \(Pass\) any port; denied by Baseline tier priority 10 default ingress rule 0 ""deny-all-ingress-from-slytherin"" \(Deny\) any port at baseline-ingress-[0-9a-f]+#\d+\n\s+counter cnp-default-ingress-0 on node-1: [1-9]\d* packets, [1-9]\d* bytes\n", trace);
        var counted = LabMailleApi.Get(lab, "policycounters")["clusterNetworkPolicyRules"]!.AsArray()
            .Single(r => (string?)r!["policy"] == "default" && (string?)r["direction"] == "ingress")!;
        Assert.Equal(("Baseline", "Deny", "deny-all-ingress-from-slytherin"), ((string?)counted["tier"], (string?)counted["action"], (string?)counted["ruleName"]));
        Assert.True((long)counted["packets"]! >= 2, $"the Baseline Deny counted both denied connections (80, 8080): {counted.ToJsonString()}");

        // A v1alpha1 AdminNetworkPolicy is read onto the same model and served as what it was written: Allow (v1alpha1's
        // Accept) at priority 5 admits what the Baseline tier denies, until it is deleted.
        lab.Succeed("apply", "-f", lab.File("anp.yaml", AllowSlytherin));
        AssertFate(lab, "slytherin/draco", harry, true, "v1alpha1 AdminNetworkPolicy Allow before the Baseline Deny (ingress)");
        Assert.Matches(@"^NAME\s+PRIORITY\s+AGE\nallow-slytherin\s+5\s", kubectl.Succeed("get", "anp"));
        var admin = System.Text.Json.Nodes.JsonNode.Parse(kubectl.Succeed("get", "adminnetworkpolicy", "allow-slytherin", "-o", "json"))!;
        Assert.Equal(("policy.networking.k8s.io/v1alpha1", "Allow", 80), ((string?)admin["apiVersion"], (string?)admin["spec"]!["ingress"]![0]!["action"], (int)admin["spec"]!["ingress"]![0]!["ports"]![0]!["portNumber"]!["port"]!));
        AssertServedConditions(admin, lab.Get("nodes")["items"]!.AsArray().Count);
        Assert.Contains("AdminNetworkPolicy", kubectl.Succeed("explain", "adminnetworkpolicies"), StringComparison.Ordinal);
        Assert.Contains("Tier is used as the top-level grouping", kubectl.Succeed("explain", "clusternetworkpolicies.spec.tier"), StringComparison.Ordinal);
        kubectl.Succeed("delete", "anp", "allow-slytherin");
        AssertFate(lab, "slytherin/draco", harry, false, "the AdminNetworkPolicy deleted: Baseline Deny again (ingress)");

        // A stopped node's agent keeps no rules: its condition says Unknown, the others stay True, until it is back.
        lab.Succeed("node", "stop", "node-3");
        var stopped = kubectl.Succeed("get", "cnp", "default", "-o", "jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason} {end}");
        Assert.Equal("Ready-In-Zone-node-1=True/SetupSucceeded Ready-In-Zone-node-2=True/SetupSucceeded Ready-In-Zone-node-3=Unknown/NodeNotReady ", stopped);
        lab.Succeed("node", "start", "node-3");

        // The node is ready again once it answers on the node network (the lab's health check, every second or so).
        var back = Poll.Until("every condition True again", () => kubectl.Succeed("get", "cnp", "default", "-o", "jsonpath={.status.conditions[*].status}"), c => c == "True True True", output);
        Assert.True(back.Met, back.ToString());
    }

    /// <summary>A v1alpha1 AdminNetworkPolicy allowing slytherin into gryffindor on port 80 (TCP) and 8080.</summary>
    private const string AllowSlytherin = """
        apiVersion: policy.networking.k8s.io/v1alpha1
        kind: AdminNetworkPolicy
        metadata: {name: allow-slytherin}
        spec:
          priority: 5
          subject: {namespaces: {matchLabels: {conformance-house: gryffindor}}}
          ingress:
          - name: from-slytherin
            action: Allow
            from: [{namespaces: {matchLabels: {conformance-house: slytherin}}}]
            ports: [{portNumber: {protocol: TCP, port: 80}}, {portRange: {protocol: TCP, start: 8000, end: 8080}}]

        """;

    /// <summary>One <c>Ready-In-Zone-NODE</c> condition per node of the lab, each True: every agent programmed the policy.</summary>
    private static void AssertServedConditions(System.Text.Json.Nodes.JsonNode served, int nodes)
    {
        var conditions = served["status"]!["conditions"]!.AsArray();
        Assert.Equal(nodes, conditions.Count);
        Assert.All(conditions, c => Assert.Equal(("True", "SetupSucceeded"), ((string?)c!["status"], (string?)c["reason"])));
        Assert.Equal(Enumerable.Range(1, nodes).Select(i => $"Ready-In-Zone-node-{i}"), conditions.Select(c => (string?)c!["type"]));
    }


    /// <summary>Both ports, each asked until the change reached the nodes (apply returns once every agent applied it).</summary>
    private void AssertFate(LiveLab lab, string from, IPAddress to, bool allowed, string what)
    {
        foreach (var port in new[] { 80, 8080 })
        {
            var connects = Connects(lab, from, to, port);
            output.WriteLine($"{what}: {from} → {to}:{port} {(connects ? "connected" : "refused")}");
            Assert.True(connects == allowed, $"{what}: {from} → {to}:{port} {(connects ? "connected" : "was refused")}");
        }
    }

    private static bool Connects(LiveLab lab, string from, IPAddress to, int port)
    {
        using var ns = NetworkNamespace.Open(LabNames.Pod(lab.Name, from));
        try
        {
            var (status, _) = LabHttp.Get(ns, to, port, "/hostname", TimeSpan.FromSeconds(2));
            return status.StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static IPAddress PodIP(LiveLab lab, string ns, string name) => IPAddress.Parse((string)lab.Get("pod", name, "-n", ns)["status"]!["podIP"]!);

    /// <summary>The packets of a named counter of the node's policy table, read with nft in the node's namespace.</summary>
    private static long CounterPackets(LiveLab lab, string node, string counter)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "netns", "exec", LabNames.Node(lab.Name, node), "nft", "list", "counter", "ip", "maille-policy", counter })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var match = System.Text.RegularExpressions.Regex.Match(text, @"packets (\d+)");
        Assert.True(match.Success, $"counter {counter} on {node}: {text}{process.StandardError.ReadToEnd()}");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
