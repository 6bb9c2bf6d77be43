namespace Maille.Engine;

/// <summary>
/// Deterministic hashing for generated names and allocation start points (FNV-1a, as Kubernetes' pod-template-hash),
/// and the consonant-heavy alphabet Kubernetes uses for generated name suffixes.
/// </summary>
internal static class StableHash
{
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static uint Fnv32(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 16777619u;
        }

        return hash;
    }

    /// <summary>A name suffix of <paramref name="length"/> characters derived from <paramref name="seed"/>.</summary>
    public static string Suffix(string seed, int length)
    {
        var value = ((ulong)Fnv32(seed) << 32) | Fnv32(seed + "#");
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = SafeAlphabet[(int)(value % (ulong)SafeAlphabet.Length)];
            value /= (ulong)SafeAlphabet.Length;
        }

        return new string(chars);
    }
}
