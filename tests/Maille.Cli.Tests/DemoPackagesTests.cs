using Maille.Cli.Lab;

namespace Maille.Cli.Tests;

/// <summary>How the demo installs what the lab needs: one line per package, apt-get's output only when it fails.</summary>
public sealed class DemoPackagesTests
{
    private const string AptChatter = "Selecting previously unselected package conntrack.\nPreparing to unpack .../conntrack_1%3a1.4.7-1+b2_amd64.deb ...\nUnpacking conntrack (1:1.4.7-1+b2) ...\n";

    [Fact]
    public void Missing_packages_are_installed_with_one_line_each_and_none_of_apt_s_output()
    {
        var installed = new Dictionary<string, string> { ["iproute2"] = "6.1.0-3", ["nftables"] = "1.0.6-2" };
        var calls = new List<string>();
        var packages = new DemoPackages(p => installed.GetValueOrDefault(p), arguments =>
        {
            calls.Add(arguments);
            if (arguments.StartsWith("install", StringComparison.Ordinal))
            {
                (installed["conntrack"], installed["curl"]) = ("1:1.4.7-1+b2", "7.88.1-10");
            }

            return (0, AptChatter);
        });
        var (context, stdout, stderr) = Context();

        Assert.True(packages.Ensure(context));

        Assert.Equal(["update -qq", "install -y -qq --no-install-recommends conntrack curl"], calls);
        Assert.Equal(
            "0. Installing conntrack, curl (apt-get install)…\n   installed conntrack 1:1.4.7-1+b2\n   installed curl 7.88.1-10\n",
            stdout.ToString().ReplaceLineEndings("\n"));
        Assert.Empty(stderr.ToString());
    }

    [Fact]
    public void A_failed_install_shows_apt_s_whole_log_and_what_to_install_by_hand()
    {
        var packages = new DemoPackages(p => p == "curl" ? null : "1", arguments =>
            arguments.StartsWith("install", StringComparison.Ordinal) ? (100, AptChatter + "E: Unable to locate package curl") : (0, ""));
        var (context, stdout, stderr) = Context();

        Assert.False(packages.Ensure(context));

        Assert.Equal("0. Installing curl (apt-get install)…\n", stdout.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(
            AptChatter + "E: Unable to locate package curl\nerror: apt-get install -y -qq --no-install-recommends curl failed (exit 100; its output is above); install curl and run the command again\n",
            stderr.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Nothing_is_run_when_every_package_is_there()
    {
        var packages = new DemoPackages(_ => "1", _ => throw new InvalidOperationException("apt-get should not run"));
        var (context, stdout, _) = Context();

        Assert.True(packages.Ensure(context));
        Assert.Empty(stdout.ToString());
    }

    private static (CliContext Context, StringWriter Stdout, StringWriter Stderr) Context()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        return (new CliContext(TextReader.Null, stdout, stderr), stdout, stderr);
    }
}
