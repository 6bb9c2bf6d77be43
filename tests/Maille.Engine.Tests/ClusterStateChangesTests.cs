using Maille.Model;

namespace Maille.Engine.Tests;

// A node agent edits its last cluster with each batch of watch events (ClusterState.WithObjects) instead of making a
// new one of every object: the edited cluster must be the one the constructor makes of the same objects, list for list
// and index for index, and a kind that did not change keeps its very list and index.
public sealed class ClusterStateChangesTests
{
    private static readonly string[] Namespaces = ["a", "a-b", "ab", "default"];

    private static Pod PodNamed(string ns, string name) => new() { Meta = new ObjectMeta { Name = name, Namespace = ns }, Spec = new PodSpec() };

    private static Service ServiceNamed(string ns, string name) => new() { Meta = new ObjectMeta { Name = name, Namespace = ns } };

    private static EndpointSlice SliceOf(string ns, string service, string name) =>
        new() { Meta = new ObjectMeta { Name = name, Namespace = ns, Labels = Labels.Of((EndpointSlice.ServiceNameLabel, service)) } };

    private static ClusterState Fresh(IEnumerable<Pod> pods, IEnumerable<Service> services, IEnumerable<EndpointSlice> slices) =>
        new(ClusterConfig.Default, [], [], pods, services, slices, ManifestSet.Empty, []);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Puts_and_removals_give_the_cluster_the_constructor_makes_of_the_same_objects(int seed)
    {
        var random = new Random(seed);
        var pods = new Dictionary<string, Pod>(StringComparer.Ordinal);
        var services = new Dictionary<string, Service>(StringComparer.Ordinal);
        var slices = new Dictionary<string, EndpointSlice>(StringComparer.Ordinal);
        string Ns() => Namespaces[random.Next(Namespaces.Length)];
        for (var i = 0; i < 200; i++)
        {
            var ns = Ns();
            var (pod, service, slice) = (PodNamed(Ns(), $"p{random.Next(500)}"), ServiceNamed(ns, $"s{random.Next(100)}"), SliceOf(ns, $"s{random.Next(100)}", $"s-{random.Next(500)}"));
            (pods[pod.QualifiedName], services[service.QualifiedName], slices[slice.Meta.QualifiedName]) = (pod, service, slice);
        }

        var edited = Fresh(pods.Values, services.Values, slices.Values);
        for (var round = 0; round < 20; round++)
        {
            var podChanges = Changes(random, pods, () => PodNamed(Ns(), $"p{random.Next(500)}"), p => p.QualifiedName);
            var sliceChanges = Changes(random, slices, () => SliceOf(Ns(), $"s{random.Next(100)}", $"s-{random.Next(500)}"), s => s.Meta.QualifiedName);
            var serviceChanges = round % 3 == 0 ? Changes(random, services, () => ServiceNamed(Ns(), $"s{random.Next(100)}"), s => s.QualifiedName) : ObjectChanges<Service>.None;

            var before = edited;
            edited = edited.WithObjects(podChanges, serviceChanges, sliceChanges);
            var expected = Fresh(pods.Values, services.Values, slices.Values);

            Assert.Equal(expected.Pods, edited.Pods);
            Assert.Equal(expected.Services, edited.Services);
            Assert.Equal(expected.EndpointSlices, edited.EndpointSlices);
            Assert.Equal(expected.PodsByName.OrderBy(p => p.Key, StringComparer.Ordinal), edited.PodsByName.OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.Equal(expected.ServicesByName.OrderBy(p => p.Key, StringComparer.Ordinal), edited.ServicesByName.OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.Equal(expected.SlicesByService.Keys.Order(StringComparer.Ordinal), edited.SlicesByService.Keys.Order(StringComparer.Ordinal));
            foreach (var (service, list) in expected.SlicesByService)
            {
                Assert.Equal(list, edited.SlicesByService[service]);
            }

            if (serviceChanges.IsEmpty)
            {
                Assert.Same(before.Services, edited.Services);
                Assert.Same(before.ServicesByName, edited.ServicesByName);
            }
        }
    }

    [Fact]
    public void A_cluster_without_changes_is_kept_whole()
    {
        var cluster = Fresh([PodNamed("a", "p")], [ServiceNamed("a", "s")], [SliceOf("a", "s", "s-1")]);

        var same = cluster.WithObjects(ObjectChanges<Pod>.None, ObjectChanges<Service>.None, ObjectChanges<EndpointSlice>.None);

        Assert.Same(cluster.Pods, same.Pods);
        Assert.Same(cluster.PodsByName, same.PodsByName);
        Assert.Same(cluster.EndpointSlices, same.EndpointSlices);
        Assert.Same(cluster.SlicesByService, same.SlicesByService);
    }

    /// <summary>A few objects added or replaced and a few removed, applied to <paramref name="objects"/> as well.</summary>
    private static ObjectChanges<T> Changes<T>(Random random, Dictionary<string, T> objects, Func<T> made, Func<T, string> key)
    {
        var removed = objects.Keys.Where(_ => random.Next(40) == 0).ToList();
        foreach (var name in removed)
        {
            objects.Remove(name);
        }

        var put = Enumerable.Range(0, random.Next(6)).Select(_ => made()).GroupBy(key).Select(g => g.Last()).Where(p => !removed.Contains(key(p))).ToList();
        foreach (var item in put)
        {
            objects[key(item)] = item;
        }

        return new ObjectChanges<T>(put, removed);
    }
}
