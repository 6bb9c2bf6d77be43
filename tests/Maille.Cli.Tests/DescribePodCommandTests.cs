using Maille.TestKit;

namespace Maille.Cli.Tests;

// `maille describe pod`, offline on the mesh example and live on a lab of it: the live one names the certificate the
// pod's node proxy presents now (its serial and expiry), which only a running lab has.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DescribePodCommandTests
{
    [Fact]
    public void Offline_each_pod_says_whether_it_is_in_the_mesh_why_and_its_identity()
    {
        var (code, stdout, stderr) = CliRunner.Run("describe", "pod", "-A", "-f", MailleProcess.Example("mesh"));

        Assert.True(code == 0, stderr);
        Assert.Contains("Name:             httpbin\nNamespace:        ambient-demo\nService Account:  httpbin\n", stdout, StringComparison.Ordinal);
        Assert.Contains("  Identity:     spiffe://cluster.local/ns/ambient-demo/sa/httpbin\n", stdout, StringComparison.Ordinal);
        Assert.Contains("  In mesh:      no (namespace legacy has neither istio.io/dataplane-mode=ambient nor maille.dev/mesh=enabled)\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_kind_is_refused_with_what_describe_knows()
    {
        var (code, _, stderr) = CliRunner.Run("describe", "svc", "-A", "-f", MailleProcess.Example("mesh"));

        Assert.Equal(1, code);
        Assert.StartsWith("error: maille describe knows networkpolicies (netpol) and pods (po)", stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void On_a_running_lab_a_meshed_pod_shows_the_certificate_its_node_proxy_presents_and_its_expiry()
    {
        Privileged.Require();
        var lab = LiveLab.NewName();
        try
        {
            var up = MailleProcess.Run("up", "-f", MailleProcess.Example("mesh"), "--lab", lab, "--kubeconfig", MailleProcess.Kubeconfig);
            Assert.True(up.ExitCode == 0, up.Stderr);

            var (code, stdout, stderr) = MailleProcess.Run("describe", "pod", "httpbin", "-n", "ambient-demo", "--lab", lab);

            Assert.True(code == 0, stderr);
            Assert.Matches(@"\n  Certificate:  serial [0-9A-F]+\n    Not Before: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n    Not After:  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(expires in \d+h\)\n", stdout);
            var outside = MailleProcess.Run("describe", "pod", "client", "-n", "legacy", "--lab", lab);
            Assert.DoesNotContain("Certificate:", outside.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            MailleProcess.Run("down", "--lab", lab, "--kubeconfig", MailleProcess.Kubeconfig);
        }
    }
}
