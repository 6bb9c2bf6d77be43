using Maille.Engine;
using Maille.Model;

namespace Maille.Lab.Api;

/// <summary>One kind the lab's API serves: where it lives (group, version, plural), its kind, scope, and its objects.</summary>
internal sealed record ApiResource(string Group, string Version, string Plural, string Kind, bool Namespaced, Func<ClusterState, IEnumerable<(ObjectMeta Meta, object Object)>> Objects)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}
