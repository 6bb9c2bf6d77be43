namespace Maille.Engine.Ingresses;

/// <summary>Something about one object (<c>Kind namespace/name</c>) that the Ingress controller reports and works around.</summary>
public sealed record IngressProblem(string Object, string Message)
{
    public override string ToString() => $"{Object}: {Message}";
}
