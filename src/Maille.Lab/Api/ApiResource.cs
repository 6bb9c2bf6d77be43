using Maille.Engine;
using Maille.Engine.Workloads;
using Maille.Kube.Tables;
using Maille.Model;

namespace Maille.Lab.Api;

/// <summary>
/// One kind the lab's API serves: where it lives (group, version, plural), its kind, scope, and its objects, each
/// with how to write it as a Kubernetes object (only the ones a request selects are written: a GET of one Service
/// among 10,000 writes one).
/// </summary>
/// <param name="Objects">
/// The objects of a planned cluster; workloads count a pod available once it has been Ready for their
/// <c>minReadySeconds</c> by the availability given (null: available is ready).
/// </param>
/// <param name="Table">
/// kubectl's table of the objects that pass the filter, in <paramref name="Objects"/>' order (a row per object), with
/// the <c>-o wide</c> columns when asked; for <c>as=Table</c> requests (<see cref="TableResponse"/>).
/// </param>
public sealed record ApiResource(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    Func<ClusterState, PodAvailability?, IEnumerable<ApiObject>> Objects,
    Func<ResourceTables, Func<ObjectMeta, bool>, bool, KubectlTable> Table)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>
    /// The collection of the plan that <see cref="Objects"/> reads, when it reads one and nothing else: a plan that
    /// keeps the very same collection keeps the very same objects (<see cref="ObjectVersions.Advance"/> then skips the kind).
    /// </summary>
    public Func<ClusterState, object>? Source { get; init; }
}
