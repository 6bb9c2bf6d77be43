using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests;

// Privileged: a scratch namespace (maille-tXXXXXX-fd, no interfaces, no traffic). The test process first holds more
// descriptors than select() can take, as a lab daemon of 2,000 pods does.
public sealed class ThreadDescriptorTableTests
{
    [SkippableFact]
    public void Libnftables_works_on_a_detached_thread_while_the_process_holds_more_than_FD_SETSIZE_descriptors()
    {
        Privileged.Require();
        var name = $"maille-{TestNames.NewLab()}-fd";
        var file = Path.GetTempFileName();
        var held = Enumerable.Range(0, ThreadDescriptorTable.SelectLimit + 100).Select(_ => File.OpenHandle(file)).ToList();
        try
        {
            Assert.True(held.Max(h => (int)h.DangerousGetHandle()) >= ThreadDescriptorTable.SelectLimit, "the test needs descriptors past FD_SETSIZE");
            using var ns = NetworkNamespace.Create(name);
            using var worker = new NamespaceWorker(ns, "maille-test-fd", ownDescriptors: true);

            var (listed, descriptors) = worker.Invoke(() =>
            {
                using var context = NftContext.Create();
                var result = context.Run("add table ip maille-fd-test\nlist tables ip");
                var sockets = ThreadDescriptorTable.Open().Where(d => LinkOf(d).StartsWith("socket:", StringComparison.Ordinal));
                return (result, sockets.ToList());
            });

            Assert.True(listed.Succeeded, listed.Error);
            Assert.Contains("table ip maille-fd-test", listed.Output, StringComparison.Ordinal);
            Assert.NotEmpty(descriptors);
            Assert.All(descriptors, d => Assert.True(d < ThreadDescriptorTable.SelectLimit, $"socket {d} on the detached thread"));

            // The process's own table is untouched: what it held is still open there.
            Assert.All(held, h => Assert.False(h.IsInvalid || h.IsClosed));
            Assert.True(Directory.GetFiles("/proc/self/fd").Length > ThreadDescriptorTable.SelectLimit);
        }
        finally
        {
            foreach (var handle in held)
            {
                handle.Dispose();
            }

            if (NetworkNamespace.Exists(name))
            {
                NetworkNamespace.Delete(name);
            }

            File.Delete(file);
        }
    }

    /// <summary>What a descriptor of the calling thread refers to; empty for the listing's own, closed since.</summary>
    private static string LinkOf(int descriptor)
    {
        try
        {
            return new FileInfo($"/proc/thread-self/fd/{descriptor}").LinkTarget ?? "";
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }
}
