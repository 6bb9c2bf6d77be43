namespace Maille.Kube.Tables;

/// <summary>kubectl's AGE format (apimachinery's <c>duration.HumanDuration</c>).</summary>
public static class HumanDuration
{
    public static string Age(DateTimeOffset? created, TimeProvider clock)
    {
        if (created is null)
        {
            return "<unknown>";
        }

        return Of(clock.GetUtcNow() - created.Value);
    }

    /// <summary>A duration in the same words: <c>90s</c>, <c>5m30s</c>, <c>23h</c>, <c>3d4h</c>.</summary>
    public static string Of(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return $"{seconds}s";
        }

        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }

        if (minutes < 180)
        {
            return $"{minutes}m";
        }

        var hours = (long)d.TotalHours;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        var days = (long)d.TotalDays;
        if (hours < 192)
        {
            var h = hours % 24;
            return h == 0 ? $"{days}d" : $"{days}d{h}h";
        }

        if (days < 365 * 2)
        {
            return $"{days}d";
        }

        var years = days / 365;
        if (years < 8)
        {
            var dy = days % 365;
            return dy == 0 ? $"{years}y" : $"{years}y{dy}d";
        }

        return $"{years}y";
    }
}
