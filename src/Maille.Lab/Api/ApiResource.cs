using Maille.Engine;
using Maille.Model;

namespace Maille.Lab.Api;

/// <summary>
/// One kind the lab's API serves: where it lives (group, version, plural), its kind, scope, and its objects, each
/// with how to write it as a Kubernetes object (only the ones a request selects are written: a GET of one Service
/// among 10,000 writes one).
/// </summary>
internal sealed record ApiResource(string Group, string Version, string Plural, string Kind, bool Namespaced, Func<ClusterState, IEnumerable<(ObjectMeta Meta, Func<object> Write)>> Objects)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}
