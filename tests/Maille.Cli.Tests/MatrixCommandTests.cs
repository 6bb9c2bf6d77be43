using System.Text.Json;
using System.Text.Json.Nodes;

namespace Maille.Cli.Tests;

/// <summary><c>maille matrix</c> run in-process on a two-pod namespace where b accepts TCP 80 only from pods labelled role=client.</summary>
public sealed class MatrixCommandTests
{
    private const string Input = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: x
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: a
          namespace: x
          labels:
            role: client
        spec:
          containers:
            - name: app
              image: app
              ports:
                - containerPort: 80
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: b
          namespace: x
        spec:
          containers:
            - name: app
              image: app
              ports:
                - containerPort: 80
                - containerPort: 81
                  protocol: UDP
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: b-from-clients
          namespace: x
        spec:
          podSelector: {}
          ingress:
            - from:
                - podSelector:
                    matchLabels:
                      role: client
              ports:
                - port: 80
        """;

    [Fact]
    public void Json_HasPodsPortsAndOneConnectionPerOrderedPairPerPort()
    {
        var (code, stdout, stderr) = Run("matrix", "-f", "-", "-o", "json");

        Assert.Equal(0, code);
        Assert.DoesNotContain("error", stderr, StringComparison.Ordinal);
        var json = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal(["pods", "ports", "connections"], json.Select(p => p.Key));
        foreach (var connection in json["connections"]!.AsArray())
        {
            var keys = connection!.AsObject().Select(p => p.Key).ToList();
            Assert.Equal(["from", "to", "port", "allowed"], keys.Take(4));
            Assert.IsType<string>(connection["decidedBy"]!.GetValue<string>());
            Assert.Equal(["decidedBy", "egress", "ingress"], keys.Skip(4));
            Assert.Equal(["tier", "allowed", "priority", "policy", "rule", "ruleName", "action", "passedBy"], connection["ingress"]!.AsObject().Select(p => p.Key));
            if (connection["allowed"]!.GetValue<bool>() == false)
            {
                // No ClusterNetworkPolicy here: a denied side is one that NetworkPolicy isolates.
                Assert.Contains("NetworkPolicy", new[] { connection["egress"]!["tier"]!.GetValue<string>(), connection["ingress"]!["tier"]!.GetValue<string>() });
            }

            connection.AsObject().Remove("decidedBy");
            connection.AsObject().Remove("egress");
            connection.AsObject().Remove("ingress");
        }

        Assert.Equal(
            """
            {"pods":["x/a","x/b"],"ports":["80/TCP","81/UDP"],"connections":[
            {"from":"x/a","to":"x/a","port":"80/TCP","allowed":true},
            {"from":"x/a","to":"x/b","port":"80/TCP","allowed":true},
            {"from":"x/b","to":"x/a","port":"80/TCP","allowed":false},
            {"from":"x/b","to":"x/b","port":"80/TCP","allowed":true},
            {"from":"x/a","to":"x/a","port":"81/UDP","allowed":true},
            {"from":"x/a","to":"x/b","port":"81/UDP","allowed":false},
            {"from":"x/b","to":"x/a","port":"81/UDP","allowed":false},
            {"from":"x/b","to":"x/b","port":"81/UDP","allowed":true}]}
            """.ReplaceLineEndings(""),
            json.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }

    [Fact]
    public void Json_DecidedByNamesTheRuleThatAllowed()
    {
        var (_, stdout, _) = Run("matrix", "-f", "-", "-o", "json", "--port", "80");

        var ab = JsonNode.Parse(stdout)!["connections"]!.AsArray().Single(c => (string)c!["from"]! == "x/a" && (string)c!["to"]! == "x/b")!;
        Assert.Equal("allowed: egress: not isolated; ingress: isolated by x/b-from-clients; allowed by x/b-from-clients ingress rule 0 peer 0 port 0", (string)ab["decidedBy"]!);
    }

    [Fact]
    public void Table_PrintsOneTruthTablePerPort()
    {
        var (code, stdout, _) = Run("matrix", "-f", "-", "--port", "80/tcp", "--port", "81/UDP");

        Assert.Equal(0, code);
        Assert.Equal(
            """
            80/TCP (rows: from, columns: to; . allowed, X denied)
            -    x/a  x/b
            x/a  .    .
            x/b  X    .

            81/UDP (rows: from, columns: to; . allowed, X denied)
            -    x/a  x/b
            x/a  .    X
            x/b  X    .

            """,
            stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Csv_HasAHeaderAndOneLinePerCell()
    {
        var (_, stdout, _) = Run("matrix", "-f", "-", "-o", "csv", "--port", "80");

        Assert.Equal("from,to,port,allowed\nx/a,x/a,80/TCP,true\nx/a,x/b,80/TCP,true\nx/b,x/a,80/TCP,false\nx/b,x/b,80/TCP,true\n", stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void NamespaceFilter_KeepsOnlyThatNamespacesPods()
    {
        var (code, stdout, _) = Run("matrix", "-f", "-", "-n", "other", "-o", "json");

        Assert.Equal(0, code);
        Assert.Equal("""{"pods":[],"ports":[],"connections":[]}""", JsonNode.Parse(stdout)!.ToJsonString());
    }

    [Fact]
    public void BadPort_IsAnErrorWithExitCode1()
    {
        var (code, _, stderr) = Run("matrix", "-f", "-", "--port", "80/ICMP");

        Assert.Equal(1, code);
        Assert.Contains("--port 80/ICMP", stderr, StringComparison.Ordinal);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, new StringReader(Input), stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
