namespace Maille.Engine.NetworkPolicies;

/// <summary>Bitsets over the rows of a <see cref="ReachabilityMatrix"/>: one bit per pod, 64 pods per word.</summary>
internal static class PodBits
{
    public static int Words(int count) => (count + 63) >> 6;

    public static bool Test(ulong[] bits, int index) => (bits[index >> 6] & (1UL << (index & 63))) != 0;

    public static void Set(ulong[] bits, int index) => bits[index >> 6] |= 1UL << (index & 63);

    /// <summary>All of the first <paramref name="count"/> bits set (and none past them).</summary>
    public static ulong[] All(int count)
    {
        var bits = new ulong[Words(count)];
        Array.Fill(bits, ulong.MaxValue);
        if ((count & 63) != 0)
        {
            bits[^1] = (1UL << (count & 63)) - 1;
        }

        return bits;
    }

    /// <summary><paramref name="target"/> |= <paramref name="source"/>.</summary>
    public static void Or(ulong[] target, ulong[] source)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] |= source[i];
        }
    }

    /// <summary><paramref name="target"/> |= <paramref name="a"/> &amp; <paramref name="b"/>.</summary>
    public static void OrAnd(ulong[] target, ulong[] a, ulong[] b)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] |= a[i] & b[i];
        }
    }
}
