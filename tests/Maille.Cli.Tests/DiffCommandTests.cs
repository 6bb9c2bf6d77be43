using System.Text.Json.Nodes;
using Maille.TestKit;
using static Maille.Cli.Tests.CliRunner;

namespace Maille.Cli.Tests;

/// <summary>
/// <c>maille diff</c> run in-process on the playground's pods (namespaces x, y, z; pods a, b, c serving 80 and 81 over
/// TCP and UDP) with policies written by <see cref="PolicyYaml"/> into a folder of the test's own: what it prints, the
/// JSON contract of docs/what-if.md, and its exit codes (0 same, 1 different, 2 bad input).
/// </summary>
public sealed class DiffCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("maille-diff-").FullName;

    private static string Pods => PlaygroundScenario.PodsFile;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_same_manifests_on_both_sides_exit_0_and_say_nothing_changed()
    {
        var policy = File(PolicyYaml.DenyIngress("z"));

        var (code, stdout, stderr) = Run("diff", "-f", Pods, "-f", policy, "--with", Pods, "--with", policy);

        Assert.Equal((0, ""), (code, stderr));
        Assert.Equal("No connection gained or lost on 80/TCP, 80/UDP, 81/TCP, 81/UDP.\n", stdout);
    }

    [Fact]
    public void A_port_moved_prints_the_loss_and_the_gain_under_their_namespace_pair_with_the_rule_of_each_side()
    {
        var current = File(PolicyYaml.Allow("allow-a", "y", "pod=b", "pod=a", "80"));
        var candidate = File(PolicyYaml.Allow("allow-a", "y", "pod=b", "pod=a", "81"), "candidate.yaml");

        var (code, stdout, _) = Run("diff", "-f", Pods, "-f", current, "--with", Pods, "--with", candidate, "--port", "80", "--port", "81");

        Assert.Equal(1, code);
        Assert.Equal(
            """
            1 connection gained, 1 connection lost on 80/TCP, 81/TCP.

            y → y
              lost    80/TCP    y/a → y/b
                  current:   allowed: egress not isolated; ingress allowed by y/allow-a ingress rule 0 peer 0 port 0
                  candidate: denied: ingress: default deny of y/allow-a
              gained  81/TCP    y/a → y/b
                  current:   denied: ingress: default deny of y/allow-a
                  candidate: allowed: egress not isolated; ingress allowed by y/allow-a ingress rule 0 peer 0 port 0

            """,
            stdout);
    }

    [Fact]
    public void Json_names_groups_once_and_each_change_by_group_with_both_sides_decisions()
    {
        var candidate = File(PolicyYaml.DenyIngress("z"));

        var (code, stdout, _) = Run("diff", "-f", Pods, "--with", Pods, "--with", candidate, "--port", "80", "-o", "json");

        Assert.Equal(1, code);
        var json = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal(["ports", "gained", "lost", "groups", "changes"], json.Select(p => p.Key));
        Assert.Equal((0, 24), ((int)json["gained"]!, (int)json["lost"]!));
        var groups = json["groups"]!.AsArray();
        Assert.Equal(
            """{"id":6,"namespace":"z","pods":["z/a"],"labels":{"pod":"a"},"inCurrent":true,"inCandidate":true}""",
            groups[6]!.ToJsonString());
        var change = json["changes"]!.AsArray().First(c => (int)c!["from"]! == 0 && (int)c["to"]! == 6)!;
        Assert.Equal(
            """
            {"change":"lost","port":"80/TCP","from":0,"to":6,"connections":1,
            "current":{"allowed":true,"text":"allowed: egress not isolated; ingress not isolated","egress":{"isolatedBy":[],"allowedBy":null},"ingress":{"isolatedBy":[],"allowedBy":null}},
            "candidate":{"allowed":false,"text":"denied: ingress: default deny of z/default-deny-ingress","egress":{"isolatedBy":[],"allowedBy":null},"ingress":{"isolatedBy":["z/default-deny-ingress"],"allowedBy":null}}}
            """.ReplaceLineEndings(""),
            change.ToJsonString());
    }

    [Fact]
    public void Json_names_the_allowing_rule_by_policy_direction_and_indexes()
    {
        var candidate = File(PolicyYaml.Allow("allow-a", "y", "pod=b", "pod=a", "80"));

        var (_, stdout, _) = Run("diff", "-f", Pods, "--with", Pods, "--with", candidate, "--port", "80", "-o", "json");

        // y/b is isolated now: every source but y/a is lost, and y/a's connection stays (allowed by rule 0), so is not listed.
        var changes = JsonNode.Parse(stdout)!["changes"]!.AsArray();
        Assert.Equal(7, changes.Count);
        Assert.All(changes, c => Assert.Equal("""{"isolatedBy":["y/allow-a"],"allowedBy":null}""", c!["candidate"]!["ingress"]!.ToJsonString()));
    }

    [Fact]
    public void Bad_input_exits_2_naming_the_file_the_object_and_the_field_and_prints_nothing_on_stdout()
    {
        var bad = File("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: bad, namespace: x}
            spec:
              podSelector: {}
              ingress: [{ports: [{port: 70000}]}]
            """);

        var (code, stdout, stderr) = Run("diff", "-f", Pods, "--with", Pods, "--with", bad);

        Assert.Equal((2, ""), (code, stdout));
        Assert.Contains($"error: {bad}:6: NetworkPolicy x/bad: spec.ingress[0].ports[0].port: Invalid value: 70000", stderr, StringComparison.Ordinal);
        Assert.Contains("error: the candidate manifests (--with) do not plan; nothing was compared", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_side_or_a_bad_port_is_trouble_not_a_difference()
    {
        Assert.Equal(2, Run("diff", "-f", Pods).ExitCode);
        Assert.Equal(2, Run("diff", "-f", Pods, "--with", Pods, "--port", "http").ExitCode);
        Assert.Equal(2, Run("diff", "-f", Pods, "--with", Path.Combine(_folder, "missing.yaml")).ExitCode);
    }

    private string File(PolicyYaml policy, string? name = null) => File(policy.Yaml, name ?? policy.Name + ".yaml");

    private string File(string yaml, string name = "input.yaml")
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllText(path, yaml);
        return path;
    }
}
