using Maille.Dataplane.Linux.Netns;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests;

// Privileged: scratch namespaces maille-tXXXXXX-home-N mounted in a home of their own (/run/maille-netns/tXXXXXX).
public sealed class NamespaceHomeTests
{
    [SkippableFact]
    public void Namespaces_mounted_in_a_home_are_found_by_name_parked_entered_and_removed_with_one_unmount()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        var home = $"/run/maille-netns/{lab}";
        var names = Enumerable.Range(0, 3).Select(i => $"maille-{lab}-home-{i}").ToList();
        NetworkNamespace.CreateHome(home);
        try
        {
            var created = NetworkNamespace.CreateMany(names, threads: 2, home: home);
            Assert.Equal(names, NetworkNamespace.List($"maille-{lab}-"));
            Assert.All(names, n => Assert.Equal(Path.Combine(home, n), new FileInfo(Path.Combine(NetworkNamespace.RunDirectory, n)).LinkTarget));

            // A parked namespace holds no descriptor, yet work still runs inside it (opened by name for the moment).
            var identity = created[0].RunInside(() => File.ResolveLinkTarget("/proc/thread-self/ns/net", false)!.Name);
            created[0].Park();
            Assert.True(created[0].IsParked);
            Assert.Equal(identity, created[0].RunInside(() => File.ResolveLinkTarget("/proc/thread-self/ns/net", false)!.Name));
            Assert.Equal(identity, created[0].RunBriefly(() => File.ResolveLinkTarget("/proc/thread-self/ns/net", false)!.Name));
            Assert.True(created[0].IsParked);

            // iproute2 finds them through the links.
            Assert.Contains(names[1], HostNetworkSnapshot.Run("netns", "list"), StringComparison.Ordinal);

            foreach (var ns in created)
            {
                ns.Dispose();
            }

            foreach (var name in names)
            {
                NetworkNamespace.DeleteLink(name);
            }

            NetworkNamespace.DeleteHome(home);
            Assert.Empty(NetworkNamespace.List($"maille-{lab}-"));
            Assert.False(Directory.Exists(home));
            Assert.DoesNotContain(names[1], HostNetworkSnapshot.Run("netns", "list"), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var name in names.Where(NetworkNamespace.Exists))
            {
                NetworkNamespace.Delete(name);
            }

            NetworkNamespace.DeleteHome(home);
        }
    }
}
