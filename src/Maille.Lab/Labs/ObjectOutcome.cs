using Maille.Kube;

namespace Maille.Lab.Labs;

/// <summary>What a change did to one object, in kubectl's words: <c>pod/web created</c>.</summary>
public sealed record ObjectOutcome(ObjectKey Key, string Action)
{
    public override string ToString() => Action == "deleted" ? $"{Key.Kind.ToLowerInvariant()} \"{Key.Name}\" deleted" : $"{Key.Display} {Action}";
}
