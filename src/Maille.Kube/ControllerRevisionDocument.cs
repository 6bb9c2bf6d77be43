using k8s.Models;
using YamlDotNet.Serialization;

namespace Maille.Kube;

/// <summary>
/// What Maille reads of a <c>ControllerRevision</c> (apps/v1). KubernetesClient types its <c>data</c> as an untyped
/// object; the StatefulSet and DaemonSet controllers always store a patch of the set's template there
/// (<c>{"spec":{"template":{…,"$patch":"replace"}}}</c>), which this reads as a typed template (the directive is ignored).
/// </summary>
internal sealed class ControllerRevisionDocument
{
    [YamlMember(Alias = "metadata")]
    public V1ObjectMeta? Metadata { get; set; }

    [YamlMember(Alias = "revision")]
    public long Revision { get; set; }

    [YamlMember(Alias = "data")]
    public RevisionData? Data { get; set; }

    internal sealed class RevisionData
    {
        [YamlMember(Alias = "spec")]
        public RevisionSpec? Spec { get; set; }
    }

    internal sealed class RevisionSpec
    {
        [YamlMember(Alias = "template")]
        public V1PodTemplateSpec? Template { get; set; }
    }
}
