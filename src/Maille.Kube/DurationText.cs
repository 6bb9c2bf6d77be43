using System.Globalization;
using System.Text.RegularExpressions;

namespace Maille.Kube;

/// <summary>
/// A duration as kubectl's flags write one (Go's <c>time.ParseDuration</c>, whole numbers): one or more of a number and
/// a unit, <c>h</c>, <c>m</c>, <c>s</c> or <c>ms</c>, largest first or not: <c>30s</c>, <c>10m</c>, <c>1h30m</c>.
/// </summary>
public static partial class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (!Whole().IsMatch(text))
        {
            return false;
        }

        foreach (Match part in Part().Matches(text))
        {
            if (!long.TryParse(part.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount > 1_000_000)
            {
                return false;
            }

            duration += part.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "s" => TimeSpan.FromSeconds(amount),
                _ => TimeSpan.FromMilliseconds(amount),
            };
        }

        return true;
    }

    [GeneratedRegex("^([0-9]+(h|ms|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Whole();

    [GeneratedRegex("([0-9]+)(h|ms|m|s)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
