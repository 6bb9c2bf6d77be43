namespace Maille.Lab.Ingresses;

/// <summary>Connection feature naming the role of the listener a connection was accepted on.</summary>
internal sealed class IngressListenerFeature(IngressListenerRole role)
{
    public IngressListenerRole Role { get; } = role;
}
