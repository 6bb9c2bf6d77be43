using Maille.Cli.Lab;

namespace Maille.Cli.Tests;

/// <summary>What `maille up` says when a lab cannot start: the cause first, not the tail of a stack trace.</summary>
public sealed class UpFailureReportTests
{
    [Fact]
    public void Without_libnftables_up_names_the_package_to_install_and_builds_nothing()
    {
        var (stderr, context) = Context();

        Assert.False(LabCommon.HasLabPackages(context, nftablesLoadable: false));
        Assert.True(LabCommon.HasLabPackages(Context().Context, nftablesLoadable: true));

        Assert.Contains("Debian package nftables", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("apt-get install nftables", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("nothing was built", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_crashed_daemon_is_shown_from_its_exception_message_not_the_end_of_its_stack()
    {
        var log = new List<string> { "[12:00:00] building 3 nodes", "Unhandled exception. System.DllNotFoundException: Unable to load shared library 'libnftables.so.1'" };
        log.AddRange(Enumerable.Range(0, 30).Select(i => $"   at Frame{i}()"));

        var excerpt = UpCommand.DaemonLogExcerpt(log);

        Assert.Equal(10, excerpt.Count);
        Assert.StartsWith("Unhandled exception. System.DllNotFoundException", excerpt[0], StringComparison.Ordinal);
        Assert.Equal("   at Frame8()", excerpt[^1]);
    }

    [Fact]
    public void A_log_without_a_crash_is_shown_by_its_last_ten_lines()
    {
        var log = Enumerable.Range(0, 25).Select(i => $"line {i}").ToList();

        Assert.Equal(log.Skip(15), UpCommand.DaemonLogExcerpt(log));
    }

    private static (StringWriter Stderr, CliContext Context) Context()
    {
        var stderr = new StringWriter();
        return (stderr, new CliContext(TextReader.Null, new StringWriter(), stderr));
    }
}
