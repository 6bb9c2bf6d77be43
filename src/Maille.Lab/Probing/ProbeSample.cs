namespace Maille.Lab.Probing;

/// <summary>
/// Which ordered pairs of pods a sampled probe tries (<c>maille probe --sample N --seed S</c>): <see cref="Pairs"/>
/// distinct pairs drawn uniformly from every ordered pair (a pod to itself included, as in the matrix), the same
/// pairs for each port. The same seed over the same lab draws the same pairs.
/// </summary>
public sealed record ProbeSample(int Pairs, int Seed)
{
    /// <summary>The drawn pairs as indexes into <paramref name="podCount"/> pods, sorted; every pair when there are fewer than asked.</summary>
    public IReadOnlyList<(int From, int To)> Draw(int podCount)
    {
        var total = (long)podCount * podCount;
        if (Pairs >= total)
        {
            return [.. Enumerable.Range(0, podCount).SelectMany(from => Enumerable.Range(0, podCount).Select(to => (from, to)))];
        }

        var random = new Random(Seed);
        var chosen = new HashSet<long>();
        while (chosen.Count < Pairs)
        {
            chosen.Add(random.NextInt64(total));
        }

        return [.. chosen.Order().Select(cell => ((int)(cell / podCount), (int)(cell % podCount)))];
    }
}
