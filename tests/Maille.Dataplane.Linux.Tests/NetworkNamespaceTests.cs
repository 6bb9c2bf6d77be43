using Maille.Dataplane.Linux.Netns;

using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests;

public sealed class NetworkNamespaceTests
{
    [SkippableFact]
    public void A_created_namespace_can_be_listed_opened_entered_and_deleted()
    {
        Privileged.Require();
        var name = $"maille-{TestNames.NewLab()}-a";
        try
        {
            using (var created = NetworkNamespace.Create(name))
            {
                Assert.Equal([name], NetworkNamespace.List(name));
                Assert.Contains(name, HostNetworkSnapshot.Run("netns", "list"), StringComparison.Ordinal);
                using var opened = NetworkNamespace.Open(name);
                var inside = opened.RunInside(() => File.ResolveLinkTarget("/proc/thread-self/ns/net", false)!.Name);
                var again = created.RunInside(() => File.ResolveLinkTarget("/proc/thread-self/ns/net", false)!.Name);
                Assert.Equal(inside, again);
                Assert.NotEqual(CurrentThreadNamespace(), inside);
            }

            NetworkNamespace.Delete(name);
            Assert.Empty(NetworkNamespace.List(name));
            Assert.False(NetworkNamespace.Exists(name));
            Assert.DoesNotContain(name, HostNetworkSnapshot.Run("netns", "list"), StringComparison.Ordinal);
        }
        finally
        {
            DeleteIfPresent(name);
        }
    }

    [SkippableFact]
    public void Running_inside_a_namespace_leaves_the_calling_thread_where_it_was()
    {
        Privileged.Require();
        var name = $"maille-{TestNames.NewLab()}-a";
        try
        {
            var before = CurrentThreadNamespace();
            using var created = NetworkNamespace.Create(name);
            created.RunInside(() => { });
            Assert.Equal(before, CurrentThreadNamespace());
        }
        finally
        {
            DeleteIfPresent(name);
        }
    }

    [SkippableFact]
    public void A_sysctl_written_inside_a_namespace_stays_there()
    {
        Privileged.Require();
        var name = $"maille-{TestNames.NewLab()}-a";
        try
        {
            var host = Sysctl.Read("net/ipv4/ip_forward");
            using var created = NetworkNamespace.Create(name);
            Assert.Equal("0", created.RunInside(() => Sysctl.Read("net/ipv4/ip_forward")));
            created.RunInside(() => Sysctl.Write("net/ipv4/ip_forward", "1"));
            Assert.Equal("1", created.RunInside(() => Sysctl.Read("net/ipv4/ip_forward")));
            Assert.Equal(host, Sysctl.Read("net/ipv4/ip_forward"));
        }
        finally
        {
            DeleteIfPresent(name);
        }
    }

    [SkippableFact]
    public void Creating_a_name_that_exists_fails_and_keeps_the_existing_one()
    {
        Privileged.Require();
        var name = $"maille-{TestNames.NewLab()}-a";
        try
        {
            using var created = NetworkNamespace.Create(name);
            Assert.ThrowsAny<IOException>(() => NetworkNamespace.Create(name));
            Assert.True(NetworkNamespace.Exists(name));
        }
        finally
        {
            DeleteIfPresent(name);
        }
    }

    [SkippableFact]
    public void Creating_many_on_two_threads_when_one_name_exists_fails_and_leaves_none_of_the_new_ones()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        var taken = $"maille-{lab}-x-05";
        try
        {
            using var existing = NetworkNamespace.Create(taken);
            var names = Enumerable.Range(0, 10).Select(i => $"maille-{lab}-x-{i:00}").ToList();

            Assert.ThrowsAny<IOException>(() => NetworkNamespace.CreateMany(names, threads: 2));

            Assert.Equal([taken], NetworkNamespace.List($"maille-{lab}-"));
            var created = NetworkNamespace.CreateMany(names.Where(name => name != taken).ToList(), threads: 2);
            Assert.Equal(9, created.Count);
            Assert.Equal(names, NetworkNamespace.List($"maille-{lab}-"));
            foreach (var handle in created)
            {
                handle.Dispose();
            }
        }
        finally
        {
            foreach (var name in NetworkNamespace.List($"maille-{lab}-"))
            {
                NetworkNamespace.Delete(name);
            }
        }
    }

    [Fact]
    public void Names_without_the_maille_prefix_are_refused_before_any_syscall()
    {
        Assert.Throws<ArgumentException>(() => NetworkNamespace.Create("other-ns"));
        Assert.Throws<ArgumentException>(() => NetworkNamespace.Delete("other-ns"));
        Assert.Throws<ArgumentException>(() => NetworkNamespace.Create("maille-../etc"));
    }

    private static string CurrentThreadNamespace() => File.ResolveLinkTarget("/proc/thread-self/ns/net", false)!.Name;

    internal static void DeleteIfPresent(string name)
    {
        if (NetworkNamespace.Exists(name))
        {
            NetworkNamespace.Delete(name);
        }
    }
}
