using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests.Nftables;

// Privileged: a scratch namespace (maille-tXXXXXX-fd, no interfaces, no traffic). The test process first holds more
// descriptors than select() can take, as a lab daemon of 2,000 pods does.
public sealed class NftContextDescriptorTests
{
    [SkippableFact]
    public void A_context_made_while_the_process_holds_more_than_FD_SETSIZE_descriptors_gets_a_socket_select_accepts()
    {
        Privileged.Require();
        LowDescriptors.Reserve();
        var name = $"maille-{TestNames.NewLab()}-fd";
        var held = Enumerable.Range(0, LowDescriptors.SelectLimit + 100).Select(_ => File.OpenHandle("/dev/null")).ToList();
        try
        {
            Assert.True(held.Max(h => (int)h.DangerousGetHandle()) >= LowDescriptors.SelectLimit, "the test needs descriptors past FD_SETSIZE");
            using var ns = NetworkNamespace.Create(name);

            // Twice over, so that a context's reserved number is given back and taken again.
            for (var round = 0; round < 2; round++)
            {
                var (listed, descriptor) = ns.RunInside(() =>
                {
                    using var context = NftContext.Create();
                    return (context.Run("add table ip maille-fd-test\nlist tables ip"), context.SocketDescriptor);
                });

                Assert.True(listed.Succeeded, listed.Error);
                Assert.Contains("table ip maille-fd-test", listed.Output, StringComparison.Ordinal);
                Assert.InRange(descriptor, 0, LowDescriptors.SelectLimit - 1);
            }

            Assert.All(held, h => Assert.False(h.IsClosed));
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
        }
    }
}
