using Maille.Model;

namespace Maille.Lab.Workloads;

/// <summary>Names one pod the way the built-in server answers for it: <c>namespace/name</c>.</summary>
public readonly record struct PodId(string Namespace, string Name)
{
    public static PodId From(Pod pod) => new(pod.Namespace, pod.Name);

    public override string ToString() => $"{Namespace}/{Name}";
}
