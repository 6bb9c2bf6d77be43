using System.Globalization;

namespace Maille.Model;

/// <summary>
/// The Gateway API's duration (GEP-2257): one to four groups of 1–5 digits followed by h, m, s or ms, e.g. <c>1h</c>,
/// <c>1m30s</c>, <c>500ms</c>. <c>0s</c> means no timeout.
/// </summary>
public static class GatewayDuration
{
    /// <summary>The duration, or null when <paramref name="text"/> is null or not of the form.</summary>
    public static TimeSpan? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var total = TimeSpan.Zero;
        var groups = 0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start || i - start > 5 || i == text.Length)
            {
                return null;
            }

            var number = int.Parse(text.AsSpan(start, i - start), CultureInfo.InvariantCulture);
            if (text[i] == 'm' && i + 1 < text.Length && text[i + 1] == 's')
            {
                total += TimeSpan.FromMilliseconds(number);
                i += 2;
            }
            else
            {
                total += text[i] switch
                {
                    'h' => TimeSpan.FromHours(number),
                    'm' => TimeSpan.FromMinutes(number),
                    's' => TimeSpan.FromSeconds(number),
                    _ => TimeSpan.MinValue,
                };
                if (text[i] is not ('h' or 'm' or 's'))
                {
                    return null;
                }

                i++;
            }

            if (++groups > 4)
            {
                return null;
            }
        }

        return total;
    }
}
