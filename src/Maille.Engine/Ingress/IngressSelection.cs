using Maille.Model;

namespace Maille.Engine.Ingresses;

/// <summary>
/// Which Ingresses Maille's controller serves, in precedence order (oldest <c>creationTimestamp</c> first, objects
/// without one after those with one, then <c>namespace/name</c>), and why each other Ingress is left to another
/// controller.
/// </summary>
public sealed record IngressSelection(IReadOnlyList<Ingress> Served, IReadOnlyList<IngressProblem> Ignored, IReadOnlyList<IngressProblem> Problems);
