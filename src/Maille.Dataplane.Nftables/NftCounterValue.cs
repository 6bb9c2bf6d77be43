using System.Globalization;
using System.Text.RegularExpressions;

namespace Maille.Dataplane.Nftables;

/// <summary>A named counter's value as the kernel reports it.</summary>
public sealed partial record NftCounterValue(string Name, long Packets, long Bytes)
{
    /// <summary>The named counters in the output of <c>list table FAMILY TABLE</c> or <c>list counters table FAMILY TABLE</c>.</summary>
    public static IReadOnlyList<NftCounterValue> Parse(string listing) =>
        [.. CounterPattern().Matches(listing).Select(m => new NftCounterValue(
            m.Groups["name"].Value,
            long.Parse(m.Groups["packets"].Value, CultureInfo.InvariantCulture),
            long.Parse(m.Groups["bytes"].Value, CultureInfo.InvariantCulture)))];

    [GeneratedRegex(@"counter (?<name>\S+) \{\s*packets (?<packets>\d+) bytes (?<bytes>\d+)")]
    private static partial Regex CounterPattern();
}
