namespace Maille.Lab.Api;

/// <summary>
/// The lock kubectl takes before it edits a kubeconfig: a file named <c>PATH.lock</c>, created exclusively and
/// removed after the write. Labs brought up or down at the same time (a test suite, two terminals) each read, edit
/// and replace the same file; without the lock the last writer drops the others' contexts. Taking kubectl's own
/// lock also keeps <c>kubectl config use-context</c> from interleaving with <c>maille up</c>.
/// </summary>
internal sealed class KubeconfigLock : IDisposable
{
    /// <summary>Longer than any edit takes: a lock this old was left by a process that died holding it.</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly string _lockPath;

    private KubeconfigLock(string lockPath) => _lockPath = lockPath;

    public static KubeconfigLock Take(string kubeconfigPath)
    {
        var lockPath = Path.GetFullPath(kubeconfigPath) + ".lock";
        var deadline = DateTime.UtcNow + Patience;
        var pause = 5;
        while (true)
        {
            try
            {
                using (new FileStream(lockPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                }

                return new KubeconfigLock(lockPath);
            }
            catch (IOException) when (Directory.Exists(Path.GetDirectoryName(lockPath)))
            {
                // Someone else's lock, which may be gone again already: its holder finished between our attempt and now.
                // A missing file reads as written in 1601, so it is never taken for a stale one and deleted: that could
                // delete a lock a third process has just made.
                var written = File.GetLastWriteTimeUtc(lockPath);
                var gone = written.Year <= 1601;
                if (!gone && DateTime.UtcNow - written > Stale)
                {
                    File.Delete(lockPath);   // its holder is gone; a live holder finishes in milliseconds
                    continue;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new IOException($"{kubeconfigPath}: another process holds {lockPath}; remove it if no kubectl or maille is editing the file");
                }

                if (gone)
                {
                    continue;
                }

                Thread.Sleep(pause);
                pause = Math.Min(pause * 2, 100);
            }
        }
    }

    public void Dispose() => File.Delete(_lockPath);
}
