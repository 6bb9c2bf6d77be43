using System.Net;
using Maille.Engine.Mesh;
using Maille.Lab.Mesh;
using Maille.Model;

namespace Maille.Lab.Tests.Mesh;

/// <summary>How the destination proxy carries out the engine's verdicts, and the capture it installs in a pod.</summary>
public sealed class MeshAdmissionTests
{
    [Theory]
    [InlineData(MeshOutcome.NoAllowPolicy, true)]
    [InlineData(MeshOutcome.AllowedByPolicy, true)]
    [InlineData(MeshOutcome.NotInMesh, true)]
    [InlineData(MeshOutcome.PlaintextRefused, false)]
    [InlineData(MeshOutcome.DeniedByPolicy, false)]
    [InlineData(MeshOutcome.NoAllowRuleMatched, false)]
    public void The_engines_verdict_admits_or_refuses_with_403_on_HBONE_and_its_own_words_as_the_reason(MeshOutcome outcome, bool admitted)
    {
        var verdict = new MeshVerdict
        {
            Outcome = outcome,
            Mtls = true,
            SourceIdentity = "spiffe://cluster.local/ns/mesh/sa/client",
            DecidedBy = outcome == MeshOutcome.DeniedByPolicy ? new MeshRuleRef("mesh/no-client", 0, AuthorizationAction.Deny) : null,
        };

        var admission = MeshAdmission.From(verdict);

        Assert.Equal((admitted, admitted ? 200 : 403, verdict.ToString()), (admission.Admitted, admission.HboneStatus, admission.Reason));
    }

    [Fact]
    public void The_capture_redirects_the_pods_TCP_but_not_HBONE_its_node_loopback_itself_or_the_proxys_marked_sockets()
    {
        var lines = MeshCapture.Ruleset(IPAddress.Parse("198.19.2.5"), IPAddress.Parse("198.18.0.12"))
            .Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

        Assert.Equal(
            [
                "chain prerouting {",
                "type nat hook prerouting priority dstnat; policy accept;",
                "ip saddr 198.18.0.12 return",
                "ip daddr 198.19.2.5 tcp dport != 15008 redirect to :15006",
                "}",
                "chain output {",
                "type nat hook output priority -100; policy accept;",
                "meta mark 0x539 return",
                "meta mark 0x111 return",
                "ip daddr 127.0.0.0/8 return",
                "ip daddr 198.19.2.5 return",
                "meta l4proto tcp redirect to :15001",
                "}",
                "chain marks {",
                "type route hook output priority mangle; policy accept;",
                "meta mark 0x111 ct mark set 0x111",
                "ct mark 0x111 meta mark set 0x111",
                "}",
            ],
            lines.SkipWhile(l => !l.StartsWith("chain prerouting", StringComparison.Ordinal)).SkipLast(1));
        Assert.Equal(
            [["-4", "rule", "add", "fwmark", "0x111", "lookup", "133"], ["-4", "route", "replace", "local", "0.0.0.0/0", "dev", "lo", "table", "133"]],
            MeshCapture.ReplyRouting());
    }
}
