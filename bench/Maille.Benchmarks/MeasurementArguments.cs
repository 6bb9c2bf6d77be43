using System.Globalization;

namespace Maille.Benchmarks;

/// <summary>The <c>--name value</c> options of the measurement verbs (not BenchmarkDotNet's, which parses its own).</summary>
internal static class MeasurementArguments
{
    public static string Text(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    public static int Int(string[] args, string name, int fallback) =>
        int.Parse(Text(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
