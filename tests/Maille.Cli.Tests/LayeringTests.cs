namespace Maille.Cli.Tests;

// The CLI reaches a lab through its API and Maille.Lab, never the kernel itself: namespaces, netlink and nftables
// stay in Maille.Dataplane.Linux. The compiler records an assembly reference as soon as one type of it is used.
public sealed class LayeringTests
{
    [Fact]
    public void The_cli_does_not_reference_the_linux_data_plane()
    {
        var referenced = typeof(CliApp).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("Maille.Lab", referenced);
        Assert.DoesNotContain("Maille.Dataplane.Linux", referenced);
        Assert.DoesNotContain("Maille.Dataplane.Nftables", referenced);
    }
}
