using Maille.Model;

namespace Maille.Engine.Tests;

// A cluster state lists pods and Services in namespace/name order and slices by namespace, then name, whatever order
// they come in: sorted already (a lab's stored objects), in a few sorted runs (the lab's system objects appended), or
// shuffled.
public sealed class ClusterStateOrderTests
{
    private static readonly string[] Namespaces = ["a", "a-b", "ab", "b", "default", "kube-system"];

    private static List<Service> Services(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count)
            .Select(i => (Namespace: Namespaces[random.Next(Namespaces.Length)], Name: $"s{random.Next(1000)}-{i}"))
            .Select(n => new Service { Meta = new ObjectMeta { Name = n.Name, Namespace = n.Namespace } })];
    }

    private static ClusterState State(IEnumerable<Service> services) =>
        new(ClusterConfig.Default, [], [], [], services, [], ManifestSet.Empty, []);

    public static TheoryData<string> Arrangements() => ["sorted", "two runs", "five runs", "six runs", "shuffled"];

    [Theory]
    [MemberData(nameof(Arrangements))]
    public void Services_come_out_in_the_order_of_their_qualified_names(string arrangement)
    {
        var services = Services(arrangement.Length, 300);
        var sorted = services.OrderBy(s => s.QualifiedName, StringComparer.Ordinal).ToList();
        var input = arrangement switch
        {
            "sorted" => sorted,
            "two runs" => [.. sorted.Where((_, i) => i % 7 != 0), .. sorted.Where((_, i) => i % 7 == 0)],
            "five runs" => [.. Enumerable.Range(0, 5).SelectMany(r => sorted.Where((_, i) => i % 5 == r))],
            "six runs" => [.. Enumerable.Range(0, 6).SelectMany(r => sorted.Where((_, i) => i % 6 == r))],
            _ => [.. services.OrderBy(_ => Guid.NewGuid())],
        };

        Assert.Equal(sorted.Select(s => s.QualifiedName), State(input).Services.Select(s => s.QualifiedName));
    }
}
