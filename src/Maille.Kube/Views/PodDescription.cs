using System.Globalization;
using Maille.Engine;
using Maille.Engine.Mesh;
using Maille.Model;

namespace Maille.Kube.Views;

/// <summary>
/// <c>maille describe pod</c>: kubectl's description of a pod's networking (node, addresses, service account,
/// containers and their ports), then its place in the mesh: whether it is in, why, its SPIFFE identity, and on a
/// running lab the certificate its node proxy presents for it and when that expires.
/// </summary>
public static class PodDescription
{
    /// <param name="certificateOf">The pod's current certificate by <c>namespace/name</c>; null offline (no proxy runs).</param>
    public static void Write(TextWriter writer, Pod pod, ClusterState cluster, MeshAuthorizer mesh, Func<string, MeshCertificateFacts?>? certificateOf, DateTimeOffset now)
    {
        var node = pod.Spec.NodeName is { } name && cluster.NodesByName.TryGetValue(name, out var n) ? $"{name}/{n.InternalIP?.ToString() ?? "<none>"}" : pod.Spec.NodeName ?? "<none>";
        Field(writer, "Name", pod.Name);
        Field(writer, "Namespace", pod.Namespace);
        Field(writer, "Service Account", MeshAuthorizer.ServiceAccountOf(pod));
        Field(writer, "Node", node);
        Field(writer, "Labels", pod.Labels.Count == 0 ? "<none>" : string.Join("\n" + new string(' ', 18), pod.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
        Field(writer, "Status", pod.Status.Phase ?? "Pending");
        Field(writer, "IP", pod.Status.PodIP?.ToString() ?? "");
        if (pod.Spec.HostNetwork)
        {
            Field(writer, "Host Network", "true");
        }

        writer.WriteLine("Containers:");
        foreach (var container in pod.Spec.Containers)
        {
            writer.WriteLine($"  {container.Name}:");
            writer.WriteLine($"    Image:  {container.Image ?? "<none>"}");
            writer.WriteLine($"    Ports:  {(container.Ports.Count == 0 ? "<none>" : string.Join(", ", container.Ports.Select(p => $"{p.Port}/{p.Protocol}{(p.Name is null ? "" : $" ({p.Name})")}")))}");
        }

        var (meshed, reason) = mesh.Membership(pod);
        writer.WriteLine("Mesh:");
        writer.WriteLine($"  In mesh:      {(meshed ? "yes" : "no")} ({reason})");
        if (!meshed)
        {
            return;
        }

        writer.WriteLine($"  Identity:     {MeshAuthorizer.IdentityOf(pod)}");
        if (certificateOf is null)
        {
            writer.WriteLine("  Certificate:  issued by its node proxy in a running lab (maille describe pod --lab)");
            return;
        }

        if (certificateOf(pod.QualifiedName) is not { } certificate)
        {
            writer.WriteLine("  Certificate:  <none yet> (its node proxy has not taken the pod in)");
            return;
        }

        writer.WriteLine($"  Certificate:  serial {certificate.Serial}");
        writer.WriteLine($"    Not Before: {Time(certificate.NotBefore)}");
        writer.WriteLine($"    Not After:  {Time(certificate.NotAfter)} ({(certificate.NotAfter > now ? $"expires in {Tables.HumanDuration.Of(certificate.NotAfter - now)}" : "expired")})");
    }

    private static void Field(TextWriter writer, string label, string value) => writer.WriteLine($"{(label + ":").PadRight(18)}{value}");

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
