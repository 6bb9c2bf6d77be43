using Maille.TestKit;

namespace Maille.Cli.Tests;

/// <summary><c>maille get gatewayclasses</c> over examples/gateway: the CRD's printer columns, DESCRIPTION only with <c>-o wide</c>.</summary>
public sealed class GatewayGetCommandTests
{
    private static string Example => Path.Combine(Cluster.RepositoryRoot, "examples", "gateway");

    [Fact]
    public void A_GatewayClass_shows_its_description_only_in_the_wide_table()
    {
        var plain = CliRunner.Run("get", "gatewayclasses", "-f", Example);
        var wide = CliRunner.Run("get", "gatewayclasses", "-o", "wide", "-f", Example);

        Assert.True(plain.ExitCode == 0 && wide.ExitCode == 0, plain.Stderr + wide.Stderr);
        Assert.Matches(@"^NAME\s+CONTROLLER\s+ACCEPTED\s+AGE\nmaille\s+maille\.dev/gateway-controller\s+True\s+\S+\n$", plain.Stdout);
        Assert.Matches(@"^NAME\s+CONTROLLER\s+ACCEPTED\s+AGE\s+DESCRIPTION\nmaille\s+maille\.dev/gateway-controller\s+True\s+\S+\s+Maille's Gateway controller, served by the lab's YARP proxy\n$", wide.Stdout);
    }
}
