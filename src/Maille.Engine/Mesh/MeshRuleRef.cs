using Maille.Model;

namespace Maille.Engine.Mesh;

/// <summary>One rule of an AuthorizationPolicy, as <c>trace</c> and <c>matrix</c> name it: <c>NS/NAME rule N (ACTION)</c>.</summary>
public sealed record MeshRuleRef(string Policy, int Rule, AuthorizationAction Action)
{
    public string ActionText => Action == AuthorizationAction.Allow ? "ALLOW" : "DENY";

    public override string ToString() => $"AuthorizationPolicy {Policy} rule {Rule} ({ActionText})";
}
