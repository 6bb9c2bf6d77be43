using System.Security.Cryptography;
using System.Text;

namespace Maille.Kube;

/// <summary>
/// <c>metadata.uid</c> for the objects Maille writes: an RFC 9562 UUID (version 8) from a hash of the object's kind,
/// namespace, name and creation time. The API server draws a random one at creation; a planned object has no stored
/// identity, so it is derived from what makes it the same object: the same object keeps its uid across plans,
/// answers and restarts, and one deleted and created again at another second gets a new one. Owner references name
/// their owner's uid the same way.
/// </summary>
public static class ObjectUid
{
    /// <summary>The uid an object is served with: its own when it has one, else derived.</summary>
    public static string Of(string kind, Maille.Model.ObjectMeta meta) => meta.Uid ?? Of(kind, meta.Namespace, meta.Name, meta.CreationTimestamp);

    /// <summary>
    /// Whether two versions of an object of one kind, namespace and name are one object (one uid), without hashing: the
    /// same stored uid, or neither has one and both were created in the same second (what a derived uid is made from).
    /// This is also a pod's identity to a lab: a pod deleted and made again under its name (a StatefulSet's) has a new
    /// creation time, so a new uid, and is a new pod (its programs start again, its readiness is earned again).
    /// </summary>
    public static bool Same(Maille.Model.ObjectMeta before, Maille.Model.ObjectMeta now) =>
        before.Uid is not null || now.Uid is not null
            ? before.Uid == now.Uid
            : before.CreationTimestamp?.ToUnixTimeSeconds() == now.CreationTimestamp?.ToUnixTimeSeconds();

    public static string Of(string kind, string? ns, string name, DateTimeOffset? created)
    {
        var text = $"{kind}/{ns}/{name}/{created?.ToUnixTimeSeconds()}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);   // version 8: custom
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);   // variant 10
        var hex = Convert.ToHexStringLower(hash[..16]);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }
}
