using Maille.Lab.Labs;

namespace Maille.Lab.Tests.Labs;

public sealed class LabStateTests
{
    private const string Daemon = "/bin/sh\0-c\0exec \"$@\"\0sh\0/usr/bin/dotnet\0/opt/maille/maille.dll\0lab-daemon\0--lab\0bench\0--mode\0routed\0";

    [Fact]
    public void The_labs_own_daemon_command_line_counts_as_its_daemon()
    {
        Assert.True(LabState.IsDaemonCommandLine(Daemon, "bench"));
        Assert.True(LabState.IsDaemonCommandLine("dotnet\0maille.dll\0lab-daemon\0--lab=bench\0", "bench"));
    }

    [Theory]
    [InlineData("dotnet\0maille.dll\0lab-daemon\0--lab\0benchx\0--mode\0routed\0")]
    [InlineData("dotnet\0maille.dll\0lab-daemon\0--lab\0")]
    [InlineData("dotnet\0maille.dll\0lab-daemon\0--mode\0routed\0")]
    [InlineData("dotnet\0maille.dll\0up\0--lab\0bench\0")]
    [InlineData("vim\0notes-on-lab-daemon--lab-bench.txt\0")]
    [InlineData("sleep\0lab-daemon\0x--lab\0bench\0")]
    [InlineData("")]
    public void Another_labs_daemon_or_another_program_is_not_the_labs_daemon(string cmdline)
    {
        Assert.False(LabState.IsDaemonCommandLine(cmdline, "bench"));
    }

    [Fact]
    public void The_readiness_file_is_written_again_only_when_its_text_changes()
    {
        var root = Directory.CreateTempSubdirectory("maille-state-").FullName;
        try
        {
            var state = new LabState("t", root);
            Directory.CreateDirectory(state.Directory);
            state.WriteReadiness(new Dictionary<string, bool> { ["default/a"] = true });
            Assert.True(state.ReadReadiness()["default/a"]);

            // Marked by hand: an unchanged text leaves the file alone, a changed one replaces it.
            File.WriteAllText(state.ReadinessFile, "{\"default/marked\": true}");
            state.WriteReadiness(new Dictionary<string, bool> { ["default/a"] = true });
            Assert.Equal(["default/marked"], state.ReadReadiness().Keys);

            state.WriteReadiness(new Dictionary<string, bool> { ["default/a"] = false });
            Assert.False(state.ReadReadiness()["default/a"]);
            Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(state.ReadinessFile));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Each_daemon_reserves_resource_versions_after_every_one_its_predecessor_could_use()
    {
        var root = Directory.CreateTempSubdirectory("maille-state-").FullName;
        try
        {
            var state = new LabState("t", root);
            Directory.CreateDirectory(state.Directory);

            Assert.Equal(0, state.ReserveVersions());
            Assert.Equal(LabState.VersionsPerDaemon, state.ReserveVersions());
            Assert.Equal(2 * LabState.VersionsPerDaemon, state.ReserveVersions());
            Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(state.VersionsFile));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
