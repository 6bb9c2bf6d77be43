using System.Globalization;

namespace Maille.Engine.Workloads;

/// <summary>
/// How the StatefulSet and DaemonSet controllers name a ControllerRevision (<c>pkg/controller/history</c>): the 32-bit
/// FNV-1 hash of the revision's data, then of the collision count as decimal text when the controller passes one,
/// written as a decimal number and each digit mapped to a letter or digit that spells no word; the name is
/// <c>{set}-{hash}</c>, the set's name cut to 223 characters.
/// </summary>
public static class ControllerRevisionHash
{
    // k8s.io/apimachinery's rand.SafeEncodeString alphabet: no vowels, no 0/1/3.
    private const string Alphanumerics = "bcdfghjklmnpqrstvwxz2456789";

    public static string Of(ReadOnlySpan<byte> data, int? collisionCount)
    {
        var hash = 2166136261u;
        hash = Fnv1(hash, data);
        if (collisionCount is { } probe)
        {
            hash = Fnv1(hash, System.Text.Encoding.ASCII.GetBytes(probe.ToString(CultureInfo.InvariantCulture)));
        }

        return string.Concat(hash.ToString(CultureInfo.InvariantCulture).Select(c => Alphanumerics[c % Alphanumerics.Length]));
    }

    public static string Name(string setName, string hash) => $"{(setName.Length > 223 ? setName[..223] : setName)}-{hash}";

    private static uint Fnv1(uint hash, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            hash *= 16777619u;
            hash ^= b;
        }

        return hash;
    }
}
