using Maille.Model;

namespace Maille.Lab.Workloads;

/// <summary>Names one pod the way the built-in server answers for it: <c>namespace/name</c>.</summary>
public readonly record struct PodId(string Namespace, string Name)
{
    public static PodId From(Pod pod) => new(pod.Namespace, pod.Name);

    /// <summary>The pod a <c>namespace/name</c> key names.</summary>
    public static PodId Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return new(key[..slash], key[(slash + 1)..]);
    }

    public override string ToString() => $"{Namespace}/{Name}";
}
