using Maille.Engine.Mesh;
using Maille.Model;
using static Maille.TestKit.AuthorizationPolicyBuilder;
using static Maille.TestKit.PeerAuthenticationBuilder;

namespace Maille.Engine.Tests.Mesh;

/// <summary>
/// The destination node proxy's decisions, one test per rule of docs/mesh.md, in the <see cref="MeshWorld"/>: who is
/// in the mesh and with which identity; AuthorizationPolicy's rule forms and their not forms; Istio's order (DENY
/// first, no ALLOW policy allows, else one ALLOW rule must match); PeerAuthentication's modes; HTTP attributes at the
/// node proxy. Cases follow Istio's documented examples where there is one.
/// </summary>
public sealed class MeshAuthorizationTests
{
    private const string Web = "front/web";
    private const string Admin = "front/admin";
    private const string Api = "back/api";
    private const string Db = "back/db";
    private const string Legacy = "back/legacy";
    private const string Client = "outside/client";

    [Fact]
    public void A_namespace_joins_with_either_label_and_a_pod_can_opt_out()
    {
        var world = MeshWorld.With();

        Assert.True(world.Mesh.IsMeshed(world.Pod(Web)));
        Assert.True(world.Mesh.IsMeshed(world.Pod(Api)));
        Assert.False(world.Mesh.IsMeshed(world.Pod(Legacy)));
        Assert.False(world.Mesh.IsMeshed(world.Pod(Client)));
    }

    [Fact]
    public void A_workload_identity_is_the_spiffe_id_of_its_service_account_and_default_without_one()
    {
        var world = MeshWorld.With();

        Assert.Equal("spiffe://cluster.local/ns/front/sa/web", MeshAuthorizer.IdentityOf(world.Pod(Web)));
        Assert.Equal("spiffe://cluster.local/ns/back/sa/default", MeshAuthorizer.IdentityOf(world.Pod(Db)));
    }

    [Fact]
    public void Without_any_policy_meshed_traffic_is_allowed_over_mTLS_with_the_source_identity()
    {
        var verdict = MeshWorld.With().Verdict(Web, Api, 8080);

        Assert.Equal(MeshOutcome.NoAllowPolicy, verdict.Outcome);
        Assert.True(verdict.Mtls);
        Assert.Equal("spiffe://cluster.local/ns/front/sa/web", verdict.SourceIdentity);
        Assert.Equal((MtlsMode.Permissive, null), (verdict.Mode, verdict.ModeSetBy));
    }

    [Fact]
    public void A_destination_outside_the_mesh_and_UDP_are_not_judged_by_a_node_proxy()
    {
        var world = MeshWorld.With(Deny("back", "everything").Rule());

        Assert.Equal(MeshOutcome.NotInMesh, world.Verdict(Web, Legacy, 8080).Outcome);
        Assert.Equal(MeshOutcome.NotInMesh, world.Mesh.Authorize(world.Policy.EndpointOf(world.Pod(Web)), world.Pod(Api), 8080, Protocol.UDP).Outcome);
        Assert.Equal(MeshOutcome.DeniedByPolicy, world.Verdict(Web, Api, 8080).Outcome);
    }

    [Fact]
    public void An_ALLOW_policy_with_a_principal_admits_that_service_account_only_as_in_istios_allow_curl_to_httpbin()
    {
        var world = MeshWorld.With(Allow("back", "allow-web-to-api").Selecting(("app", "api")).Rule(from: [Source("principals", "cluster.local/ns/front/sa/web")]));

        var allowed = world.Verdict(Web, Api, 8080);
        Assert.Equal(MeshOutcome.AllowedByPolicy, allowed.Outcome);
        Assert.Equal(new MeshRuleRef("back/allow-web-to-api", 0, AuthorizationAction.Allow), allowed.DecidedBy);
        Assert.False(world.Allows(Admin, Api, 8080));
        Assert.Equal(["back/allow-web-to-api"], world.Verdict(Admin, Api, 8080).AllowPolicies.ToArray());
        Assert.True(world.Allows(Admin, Db, 5432));
    }

    [Fact]
    public void Principals_name_a_service_account_across_namespaces_not_a_service_account_name_alone()
    {
        var world = MeshWorld.With(Allow("back", "db-callers").Selecting(("app", "db")).Rule(from: [Source("principals", "cluster.local/ns/back/sa/api", "cluster.local/ns/front/sa/admin")]));

        Assert.True(world.Allows(Api, Db, 5432));
        Assert.True(world.Allows(Admin, Db, 5432));
        Assert.False(world.Allows(Web, Db, 5432));
    }

    [Fact]
    public void Principal_patterns_match_by_prefix_suffix_any_and_spiffe_form()
    {
        Assert.True(MeshWorld.With(Allow("back", "p").Rule(from: [Source("principals", "cluster.local/ns/front/*")])).Allows(Web, Api, 8080));
        Assert.True(MeshWorld.With(Allow("back", "p").Rule(from: [Source("principals", "*/sa/web")])).Allows(Web, Api, 8080));
        Assert.False(MeshWorld.With(Allow("back", "p").Rule(from: [Source("principals", "*/sa/web")])).Allows(Admin, Api, 8080));
        Assert.True(MeshWorld.With(Allow("back", "p").Rule(from: [Source("principals", "spiffe://cluster.local/ns/front/sa/web")])).Allows(Web, Api, 8080));
    }

    [Fact]
    public void NotPrincipals_admits_everyone_but_the_named_service_accounts()
    {
        var world = MeshWorld.With(Allow("back", "not-web").Rule(from: [Source("notPrincipals", "cluster.local/ns/front/sa/web")]));

        Assert.False(world.Allows(Web, Api, 8080));
        Assert.True(world.Allows(Admin, Api, 8080));
    }

    [Fact]
    public void Namespaces_and_notNamespaces_match_the_peers_namespace()
    {
        var only = MeshWorld.With(Allow("back", "from-front").Rule(from: [Source("namespaces", "front")]));
        Assert.True(only.Allows(Web, Api, 8080));
        Assert.False(only.Allows(Db, Api, 8080));

        var not = MeshWorld.With(Allow("back", "not-front").Rule(from: [Source("notNamespaces", "front")]));
        Assert.False(not.Allows(Web, Api, 8080));
        Assert.True(not.Allows(Db, Api, 8080));
    }

    [Fact]
    public void IpBlocks_and_notIpBlocks_match_the_source_address()
    {
        var world = MeshWorld.With();
        var webIp = world.Pod(Web).Status.PodIP!.ToString();
        var webCidr = $"{webIp}/32";

        Assert.True(MeshWorld.With(Allow("back", "p").Rule(from: [Source("ipBlocks", webIp)])).Allows(Web, Api, 8080));
        Assert.False(MeshWorld.With(Allow("back", "p").Rule(from: [Source("ipBlocks", webIp)])).Allows(Admin, Api, 8080));
        Assert.False(MeshWorld.With(Allow("back", "p").Rule(from: [Source("notIpBlocks", webCidr)])).Allows(Web, Api, 8080));
        Assert.True(MeshWorld.With(Allow("back", "p").Rule(from: [Source("notIpBlocks", webCidr)])).Allows(Admin, Api, 8080));
        Assert.True(MeshWorld.With(Allow("back", "p").Rule(from: [Source("ipBlocks", "198.16.0.0/12")])).Allows(Admin, Api, 8080));
    }

    [Fact]
    public void Every_field_of_a_source_must_match_and_one_source_of_a_rule_suffices()
    {
        var both = MeshWorld.With(Allow("back", "p").Rule(from: [Source(("namespaces", ["front"]), ("notPrincipals", ["cluster.local/ns/front/sa/admin"]))]));
        Assert.True(both.Allows(Web, Api, 8080));
        Assert.False(both.Allows(Admin, Api, 8080));

        var either = MeshWorld.With(Allow("back", "p").Rule(from: [Source("principals", "cluster.local/ns/front/sa/admin"), Source("namespaces", "back")]));
        Assert.True(either.Allows(Admin, Api, 8080));
        Assert.True(either.Allows(Db, Api, 8080));
        Assert.False(either.Allows(Web, Api, 8080));
    }

    [Fact]
    public void Ports_and_notPorts_match_the_destination_port_and_from_and_to_must_both_match()
    {
        var ports = MeshWorld.With(Allow("back", "p").Rule(from: [Source("namespaces", "front")], to: [Operation("ports", "8080")]));
        Assert.True(ports.Allows(Web, Api, 8080));
        Assert.False(ports.Allows(Web, Api, 9090));
        Assert.False(ports.Allows(Db, Api, 8080));

        var notPorts = MeshWorld.With(Allow("back", "p").Rule(to: [Operation("notPorts", "9090")]));
        Assert.True(notPorts.Allows(Web, Api, 8080));
        Assert.False(notPorts.Allows(Web, Api, 9090));
    }

    [Fact]
    public void DENY_is_evaluated_before_ALLOW()
    {
        var world = MeshWorld.With(
            Allow("back", "a-allow-front").Rule(from: [Source("namespaces", "front")]),
            Deny("back", "z-deny-admin").Rule(from: [Source("principals", "cluster.local/ns/front/sa/admin")]));

        var admin = world.Verdict(Admin, Api, 8080);
        Assert.Equal(MeshOutcome.DeniedByPolicy, admin.Outcome);
        Assert.Equal(new MeshRuleRef("back/z-deny-admin", 0, AuthorizationAction.Deny), admin.DecidedBy);
        Assert.True(world.Allows(Web, Api, 8080));
    }

    [Fact]
    public void With_no_ALLOW_policy_selecting_the_workload_what_no_DENY_rule_matches_is_allowed()
    {
        var world = MeshWorld.With(Deny("back", "no-admin").Rule(from: [Source("principals", "cluster.local/ns/front/sa/admin")]), Allow("back", "api-only").Selecting(("app", "api")).Rule(from: [Source("namespaces", "back")]));

        Assert.Equal(MeshOutcome.NoAllowPolicy, world.Verdict(Web, Db, 5432).Outcome);
        Assert.Equal(MeshOutcome.NoAllowRuleMatched, world.Verdict(Web, Api, 8080).Outcome);
    }

    [Fact]
    public void An_ALLOW_policy_without_rules_allows_nothing_and_an_empty_rule_allows_everything()
    {
        Assert.Equal(MeshOutcome.NoAllowRuleMatched, MeshWorld.With(Allow("back", "allow-nothing")).Verdict(Web, Api, 8080).Outcome);
        Assert.Equal(MeshOutcome.AllowedByPolicy, MeshWorld.With(Allow("back", "allow-nothing"), Allow("back", "allow-all").Rule()).Verdict(Web, Api, 8080).Outcome);
        Assert.Equal(MeshOutcome.NoAllowPolicy, MeshWorld.With(Deny("back", "deny-nothing")).Verdict(Web, Api, 8080).Outcome);
    }

    [Fact]
    public void A_policy_in_the_root_namespace_applies_to_every_namespace_and_a_selector_narrows_any_policy()
    {
        var world = MeshWorld.With(Deny("istio-system", "no-admin-anywhere").Rule(from: [Source("principals", "cluster.local/ns/front/sa/admin")]), Deny("back", "no-web-to-db").Selecting(("app", "db")).Rule(from: [Source("principals", "cluster.local/ns/front/sa/web")]));

        Assert.False(world.Allows(Admin, Api, 8080));
        Assert.False(world.Allows(Admin, Web, 80));
        Assert.False(world.Allows(Web, Db, 5432));
        Assert.True(world.Allows(Web, Api, 8080));
    }

    [Fact]
    public void STRICT_refuses_plaintext_from_a_pod_outside_the_mesh_and_PERMISSIVE_accepts_it_without_a_principal()
    {
        var strict = MeshWorld.With(MeshWide("STRICT"));
        var refused = strict.Verdict(Client, Api, 8080);
        Assert.Equal(MeshOutcome.PlaintextRefused, refused.Outcome);
        Assert.Equal((false, MtlsMode.Strict, "istio-system/default"), (refused.Mtls, refused.Mode, refused.ModeSetBy));
        Assert.True(strict.Allows(Web, Api, 8080));
        Assert.False(strict.Allows(Legacy, Api, 8080));

        var permissive = MeshWorld.With(Allow("back", "p").Rule(from: [Source("principals", "*")]));
        Assert.False(permissive.Verdict(Client, Api, 8080).Mtls);
        Assert.False(permissive.Allows(Client, Api, 8080));
        Assert.True(permissive.Allows(Web, Api, 8080));
        Assert.True(MeshWorld.With(Allow("back", "p").Rule(from: [Source("notPrincipals", "*")])).Allows(Client, Api, 8080));
        Assert.False(MeshWorld.With(Allow("back", "p").Rule(from: [Source("namespaces", "outside")])).Allows(Client, Api, 8080));
    }

    [Fact]
    public void The_namespace_mode_overrides_the_mesh_wide_one_and_a_workload_and_its_ports_override_both()
    {
        var world = MeshWorld.With(
            MeshWide("STRICT"),
            Namespace("front", "PERMISSIVE"),
            Workload("back", "api-mixed", null, ("app", "api")).Port(9090, "PERMISSIVE"),
            Workload("back", "db-open", "PERMISSIVE", ("app", "db")));

        Assert.True(world.Allows(Client, Web, 80));
        Assert.Equal("front/default", world.Verdict(Client, Web, 80).ModeSetBy);
        Assert.False(world.Allows(Client, Api, 8080));
        Assert.True(world.Allows(Client, Api, 9090));
        Assert.Equal("back/api-mixed (port 9090)", world.Verdict(Client, Api, 9090).ModeSetBy);
        Assert.True(world.Allows(Client, Db, 5432));
    }

    [Fact]
    public void DISABLE_reads_as_PERMISSIVE_and_UNSET_inherits()
    {
        Assert.True(MeshWorld.With(MeshWide("STRICT"), Namespace("back", "DISABLE")).Allows(Client, Api, 8080));
        Assert.False(MeshWorld.With(MeshWide("STRICT"), Namespace("back", "UNSET")).Allows(Client, Api, 8080));
    }

    [Fact]
    public void Of_two_namespace_wide_policies_the_oldest_decides()
    {
        var world = MeshWorld.With(
            Namespace("back", "PERMISSIVE", "b-newer").CreatedAt("2026-01-02T00:00:00Z"),
            Namespace("back", "STRICT", "z-older").CreatedAt("2026-01-01T00:00:00Z"));

        Assert.Equal((MtlsMode.Strict, "back/z-older"), (world.Verdict(Client, Api, 8080).Mode, world.Verdict(Client, Api, 8080).ModeSetBy));
    }

    [Fact]
    public void An_ALLOW_rule_with_HTTP_attributes_never_matches_at_the_node_proxy_as_in_istios_GET_example()
    {
        // Istio's example: the right principal, plus methods: ["GET"]; without a waypoint ztunnel denies the connection.
        var world = MeshWorld.With(Allow("back", "web-get").Selecting(("app", "api"))
            .Rule(from: [Source("principals", "cluster.local/ns/front/sa/web")], to: [Operation("methods", "GET")]));

        var verdict = world.Verdict(Web, Api, 8080);
        Assert.Equal(MeshOutcome.NoAllowRuleMatched, verdict.Outcome);
        Assert.Equal([new MeshRuleRef("back/web-get", 0, AuthorizationAction.Allow)], verdict.SkippedL7Rules.ToArray());
    }

    [Fact]
    public void A_DENY_rule_with_HTTP_attributes_is_enforced_without_them_and_denies_more()
    {
        var world = MeshWorld.With(Deny("back", "no-web-posts").Rule(from: [Source("principals", "cluster.local/ns/front/sa/web")], to: [Operation(("methods", ["POST"]), ("ports", ["8080"]))]));

        Assert.False(world.Allows(Web, Api, 8080));
        Assert.True(world.Allows(Web, Api, 9090));
        Assert.True(world.Allows(Admin, Api, 8080));
    }

    [Fact]
    public void A_verdict_reads_as_one_sentence()
    {
        var world = MeshWorld.With(MeshWide("STRICT"), Allow("back", "allow-web").Rule(from: [Source("principals", "cluster.local/ns/front/sa/web")]));

        Assert.Equal(
            "mTLS from spiffe://cluster.local/ns/front/sa/web (STRICT, set by PeerAuthentication istio-system/default); allowed by AuthorizationPolicy back/allow-web rule 0 (ALLOW)",
            world.Verdict(Web, Api, 8080).ToString());
        Assert.Equal(
            "plaintext from outside the mesh (STRICT, set by PeerAuthentication istio-system/default): refused, STRICT accepts only mTLS",
            world.Verdict(Client, Api, 8080).ToString());
    }

    [Fact]
    public void A_live_proxy_asks_with_the_identity_it_verified_and_gets_the_same_verdict_as_for_the_pod_that_holds_it()
    {
        var world = MeshWorld.With(MeshWide("STRICT"), Allow("back", "allow-web").Rule(from: [Source("principals", "cluster.local/ns/front/sa/web")]));
        var web = world.Pod(Web);

        var byIdentity = world.Mesh.AuthorizePeer(new WorkloadIdentity("front", "web"), web.Status.PodIP, world.Pod(Api), 8080);

        Assert.Equal(world.Verdict(Web, Api, 8080), byIdentity);
        Assert.Equal(MeshOutcome.NoAllowRuleMatched, world.Mesh.AuthorizePeer(new WorkloadIdentity("front", "admin"), web.Status.PodIP, world.Pod(Api), 8080).Outcome);
        Assert.Equal(MeshOutcome.PlaintextRefused, world.Mesh.AuthorizePeer(null, web.Status.PodIP, world.Pod(Api), 8080).Outcome);
    }
}
