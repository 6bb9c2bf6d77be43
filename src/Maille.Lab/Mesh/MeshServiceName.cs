namespace Maille.Lab.Mesh;

/// <summary>A Service as Istio's metrics name it: its namespace, its name and its host (<c>NAME.NS.svc.DOMAIN</c>).</summary>
internal sealed record MeshServiceName(string Namespace, string Name, string Host)
{
    public static MeshServiceName Of(string ns, string name, string dnsDomain) => new(ns, name, $"{name}.{ns}.svc.{dnsDomain}");
}
