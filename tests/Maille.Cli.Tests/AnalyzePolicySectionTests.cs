namespace Maille.Cli.Tests;

/// <summary>The NetworkPolicy part of <c>maille analyze</c>: isolation per pod and policy warnings.</summary>
public sealed class AnalyzePolicySectionTests
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
        spec:
          containers:
            - name: app
              image: app
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: deny-egress
          namespace: x
        spec:
          podSelector: {}
          policyTypes:
            - Egress
        """;

    [Fact]
    public void ShowsIsolationPerPodAndWarnsAboutDns()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = CliApp.Run(["analyze", "-f", "-"], new StringReader(Input), stdout, stderr);

        Assert.Equal(0, code);
        var text = stdout.ToString();
        Assert.Contains("Network policies (1)", text, StringComparison.Ordinal);
        Assert.Matches(@"x/a\s+- \(not isolated\)\s+deny-egress", text);
        var flowed = System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");   // warnings wrap at the console width
        Assert.Contains("NetworkPolicy x/deny-egress: egress of x/a (isolated by x/deny-egress) blocks UDP 53 and TCP 53", flowed, StringComparison.Ordinal);
    }
}
