using Maille.Model;

namespace Maille.Engine.Analysis;

/// <summary>Something a reviewer would want to know about a planned cluster: what, about which object, and why it matters.</summary>
public sealed record Finding(string Code, ObjectRef Object, string Message, SourceLocation Source)
{
    public override string ToString() => $"{Object}: {Message}";
}
