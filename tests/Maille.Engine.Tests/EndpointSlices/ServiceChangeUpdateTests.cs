using Maille.Engine.Allocation;
using Maille.Engine.EndpointSlices;
using Maille.Kube;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.EndpointSlices;

// Seeded random pods and Services (RandomServices) in declared namespaces, loaded the way a running lab loads them
// (ManifestDocuments through one DocumentLoadCache). Every expectation is a full plan of the changed documents on top
// of the earlier plan's allocations.
public sealed class ServiceChangeUpdateTests
{
    private const string Namespaces = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: ns0}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: ns1}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: ns2}
        ---

        """;

    private readonly LabLikePlanning _lab = new();

    private ClusterState Plan(IEnumerable<ManifestDocument> documents, PriorAllocations? prior = null) => _lab.Plan(documents, prior);

    private static IReadOnlyList<ManifestDocument> Documents(string yaml) => LabLikePlanning.Documents(yaml);

    private EquatableArray<Service> Loaded(IEnumerable<ManifestDocument> documents) => _lab.Load(documents).Services;

    private static string New() =>
        RandomServices.Service("aa-first", "ns0", "k0: v1")
        + RandomServices.Service("mm-middle", "ns1", "k1: v0, k2: v2", nodePort: true)
        + RandomServices.Service("zz-last", "ns2", "")
        + RandomServices.Service("web", "default", "k0: v0", port: 8080);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Services_added_get_what_planning_again_gives_them(int seed)
    {
        var documents = Documents(Namespaces + RandomServices.Yaml(seed));
        var planned = Plan(documents);
        var added = Documents(New());

        var updated = ServiceChangeUpdate.Apply(planned, [], Loaded(added), inputHasEndpointSlices: false);

        Assert.NotNull(updated);
        ClusterAssert.Same(Plan([.. documents, .. added], PriorAllocations.From(planned)), updated, "four Services added");
        Assert.All(planned.Services, s => Assert.Same(planned.SlicesFor(s), updated.SlicesFor(s)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Services_deleted_and_added_at_once_give_what_planning_again_gives(int seed)
    {
        var documents = Documents(Namespaces + RandomServices.Yaml(seed));
        var planned = Plan(documents);
        var deleted = new[] { "s0", "s7", "s13", "s21" };
        var remaining = documents.Where(d => !(d.Key.Kind == "Service" && deleted.Contains(d.Key.Name))).ToList();
        var added = Documents(New());
        var removed = planned.Services.Where(s => deleted.Contains(s.Name)).Select(s => s.QualifiedName).ToList();

        var updated = ServiceChangeUpdate.Apply(planned, removed, Loaded(added), inputHasEndpointSlices: false);

        Assert.NotNull(updated);
        ClusterAssert.Same(Plan([.. remaining, .. added], PriorAllocations.From(planned)), updated, "four Services replaced by four others");
        Assert.DoesNotContain(updated.Services, s => deleted.Contains(s.Name));
    }

    [Theory]
    [InlineData("a LoadBalancer", "apiVersion: v1\nkind: Service\nmetadata: {name: lb, namespace: ns0}\nspec: {type: LoadBalancer, selector: {k0: v0}, ports: [{port: 80}]}\n")]
    [InlineData("a requested ClusterIP", "apiVersion: v1\nkind: Service\nmetadata: {name: fixed, namespace: ns0}\nspec: {clusterIP: 198.18.200.100, selector: {k0: v0}, ports: [{port: 80}]}\n")]
    [InlineData("a requested node port", "apiVersion: v1\nkind: Service\nmetadata: {name: np, namespace: ns0}\nspec: {type: NodePort, selector: {k0: v0}, ports: [{port: 80, nodePort: 30080}]}\n")]
    [InlineData("an undeclared namespace", "apiVersion: v1\nkind: Service\nmetadata: {name: stray, namespace: elsewhere}\nspec: {selector: {k0: v0}, ports: [{port: 80}]}\n")]
    [InlineData("a Service that exists", "apiVersion: v1\nkind: Service\nmetadata: {name: s1, namespace: ns0}\nspec: {selector: {k0: v0}, ports: [{port: 80}]}\n")]
    public void A_change_that_involves_more_than_the_taken_values_needs_a_full_plan(string what, string yaml)
    {
        var documents = Documents(Namespaces + RandomServices.Yaml(1).Replace("{name: s1, namespace: ns1}", "{name: s1, namespace: ns0}", StringComparison.Ordinal).Replace("{name: s1, namespace: ns2}", "{name: s1, namespace: ns0}", StringComparison.Ordinal));
        var planned = Plan(documents);
        Assert.Contains(planned.Services, s => s.QualifiedName == "ns0/s1");

        Assert.True(ServiceChangeUpdate.Apply(planned, [], Loaded(Documents(yaml)), inputHasEndpointSlices: false) is null, what);
    }

    [Fact]
    public void Deleting_a_LoadBalancer_or_an_unknown_Service_or_with_EndpointSlices_in_the_input_needs_a_full_plan()
    {
        var documents = Documents(Namespaces + RandomServices.Yaml(2)
            + "apiVersion: v1\nkind: Service\nmetadata: {name: lb, namespace: ns0}\nspec: {type: LoadBalancer, selector: {k0: v0}, ports: [{port: 80}]}\n");
        var planned = Plan(documents);

        Assert.Null(ServiceChangeUpdate.Apply(planned, ["ns0/lb"], [], inputHasEndpointSlices: false));
        Assert.Null(ServiceChangeUpdate.Apply(planned, ["ns0/nobody"], [], inputHasEndpointSlices: false));
        Assert.Null(ServiceChangeUpdate.Apply(planned, [planned.Services.First(s => s.Type != ServiceType.LoadBalancer).QualifiedName], [], inputHasEndpointSlices: true));
    }
}
