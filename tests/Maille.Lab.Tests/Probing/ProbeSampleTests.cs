using Maille.Lab.Probing;

namespace Maille.Lab.Tests.Probing;

public sealed class ProbeSampleTests
{
    [Fact]
    public void A_sample_draws_distinct_ordered_pairs_and_the_same_seed_draws_the_same_ones()
    {
        var first = new ProbeSample(Pairs: 20_000, Seed: 7).Draw(1000);
        var again = new ProbeSample(Pairs: 20_000, Seed: 7).Draw(1000);
        var other = new ProbeSample(Pairs: 20_000, Seed: 8).Draw(1000);

        Assert.Equal(20_000, first.Count);
        Assert.Equal(20_000, first.Distinct().Count());
        Assert.All(first, p => Assert.True(p.From is >= 0 and < 1000 && p.To is >= 0 and < 1000));
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_sample_spreads_over_sources_and_destinations()
    {
        var pairs = new ProbeSample(Pairs: 20_000, Seed: 1).Draw(1000);

        // 20 pairs per source on average: a uniform draw leaves no source and no destination far from it.
        Assert.InRange(pairs.GroupBy(p => p.From).Count(), 990, 1000);
        Assert.InRange(pairs.GroupBy(p => p.To).Count(), 990, 1000);
        Assert.InRange(pairs.GroupBy(p => p.From).Max(g => g.Count()), 20, 45);
    }

    [Fact]
    public void A_sample_as_large_as_every_pair_is_every_pair()
    {
        var pairs = new ProbeSample(Pairs: 50, Seed: 3).Draw(5);

        Assert.Equal(25, pairs.Count);
        Assert.Equal(Enumerable.Range(0, 5).SelectMany(f => Enumerable.Range(0, 5).Select(t => (f, t))), pairs);
    }
}
