using System.Text.Json.Nodes;
using Maille.Lab.Labs;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// Privileged. `get`, `describe`, `trace` and `probe --lab` are answered by the lab's daemon from the one plan it runs:
// the CLI no longer plans the lab again from the state folder's files, so those files can say anything in between.
// IP plan (defaults): nodes 198.18.0.11-13; playground: x/a 198.19.1.2 on node-1, y/b 198.19.2.3 on node-2.
public sealed class LabViewTests
{
    private const string OtherCluster = "apiVersion: v1\nkind: Pod\nmetadata: {name: stranger, namespace: elsewhere}\nspec:\n  containers: [{name: c, image: i, ports: [{containerPort: 80}]}]\n";

    [SkippableFact]
    public void Reads_of_a_lab_come_from_the_plan_its_daemon_runs_not_from_its_state_files()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Fixtures.PlaygroundPods);
        var before = lab.Succeed("get", "pods", "-A", "-o", "wide");
        Assert.Contains("198.19.1.2", before, StringComparison.Ordinal);

        // What the CLI used to plan from: another cluster on disk, and no allocations.
        var state = new LabState(lab.Name);
        File.WriteAllText(state.ManifestsFile, OtherCluster);
        File.Delete(state.AllocationsFile);

        var after = lab.Succeed("get", "pods", "-A", "-o", "wide");
        Assert.Equal(Rows(before), Rows(after));
        Assert.DoesNotContain("stranger", after, StringComparison.Ordinal);

        var json = JsonNode.Parse(lab.Succeed("trace", "--from", "y/b", "--to", "x/a:80", "-o", "json"))!;
        Assert.Equal("allowed", (string?)json["verdict"]);
        Assert.Equal("node-2", (string?)json["nftables"]!["node"]);
        Assert.Empty(json["nftables"]!["disagreements"]!.AsArray());

        var unknown = lab.Run("trace", "--from", "elsewhere/stranger", "--to", "x/a:80");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("error: --from elsewhere/stranger: no such pod with an address", unknown.Stderr, StringComparison.Ordinal);

        var probe = lab.Run("probe", "--port", "80/TCP", "-n", "x", "-o", "json");
        Assert.True(probe.ExitCode == 0, probe.Stderr + probe.Stdout);
        Assert.Equal(3, JsonNode.Parse(probe.Stdout)!["pods"]!.AsArray().Count);
        Assert.Contains("9 connections probed", probe.Stderr, StringComparison.Ordinal);

        var missing = lab.Run("get", "pods", "stranger", "-n", "elsewhere");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("Error from server (NotFound): pods \"stranger\" not found\n", missing.Stderr);
    }

    /// <summary>The table's cells without its AGE column, which moves on between two reads.</summary>
    private static string[] Rows(string table)
    {
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var age = Array.IndexOf(lines[0], "AGE");
        Assert.True(age >= 0, table);
        return [.. lines.Select(cells => string.Join(' ', cells.Where((_, i) => i != age)))];
    }
}
