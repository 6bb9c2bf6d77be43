using Maille.Lab.Labs;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

/// <summary>A lab's daemon killed (as a crash would) and brought back with <c>maille up</c>, which must succeed.</summary>
internal static class DaemonRestart
{
    public static void KillAndUpAgain(LiveLab lab, Xunit.Abstractions.ITestOutputHelper output)
    {
        Kill(lab, output);
        UpAgain(lab);
    }

    /// <summary>SIGKILLs the lab's daemon and waits until it is gone.</summary>
    public static void Kill(LiveLab lab, Xunit.Abstractions.ITestOutputHelper output)
    {
        var state = new LabState(lab.Name);
        System.Diagnostics.Process.GetProcessById(state.ReadPid()!.Value).Kill();
        var gone = Poll.Until("the killed daemon is gone", () => !state.DaemonAlive(), output);
        Assert.True(gone.Met, gone.ToString());
    }

    /// <summary><c>maille up --lab NAME</c> on the lab whose daemon died: it must succeed.</summary>
    public static void UpAgain(LiveLab lab)
    {
        var restart = lab.Run("up");
        Assert.True(restart.ExitCode == 0, restart.Stderr);
    }
}
