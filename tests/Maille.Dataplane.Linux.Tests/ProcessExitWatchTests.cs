using System.Diagnostics;
using Maille.Dataplane.Linux.Processes;

namespace Maille.Dataplane.Linux.Tests;

/// <summary>
/// How a lab daemon waits for a node agent it adopted (not its child): the watch completes when the process ends, not
/// before, and a cancellation wakes it; a pid that names no process gives no watch.
/// </summary>
public sealed class ProcessExitWatchTests
{
    [Fact]
    public async Task The_watch_completes_when_the_process_ends_and_not_before()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        using var watch = ProcessExitWatch.Open(sleeper.Id);
        Assert.NotNull(watch);

        var waiting = watch.WaitAsync(CancellationToken.None);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "completed while the process ran");

        sleeper.Kill();
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(waiting.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_cancellation_wakes_the_watch()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            using var watch = ProcessExitWatch.Open(sleeper.Id)!;
            using var cancel = new CancellationTokenSource();
            var waiting = watch.WaitAsync(cancel.Token);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Fact]
    public void A_pid_that_names_no_process_gives_no_watch()
    {
        using var ended = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        ended.WaitForExit();
        var pid = ended.Id;
        ended.Dispose();

        // Reaped by WaitForExit: the pid names no process (unless reused at once, which the test cannot rule out, so
        // only a watch of another process, not an error, is allowed then).
        using var watch = ProcessExitWatch.Open(pid);
        Assert.True(watch is null || File.Exists($"/proc/{pid}/stat"));
    }
}
