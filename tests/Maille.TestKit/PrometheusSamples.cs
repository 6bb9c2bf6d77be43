using System.Globalization;
using System.Text.RegularExpressions;

namespace Maille.TestKit;

/// <summary>
/// The samples of a Prometheus text exposition (<c>name{label="value",…} number</c>), to ask for the sum of one metric
/// over the samples whose labels include given pairs.
/// </summary>
public sealed partial class PrometheusSamples
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public PrometheusSamples(string text)
    {
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var sample = Sample().Match(line);
            Assert.True(sample.Success, $"not a Prometheus sample: {line}");
            var labels = Label().Matches(sample.Groups["labels"].Value).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
            _samples.Add((sample.Groups["name"].Value, labels, double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
    }

    public string Text => string.Join('\n', _samples.Select(s => $"{s.Name}{{{string.Join(',', s.Labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} {s.Value}"));

    /// <summary>The sum of <paramref name="name"/> over the samples carrying every pair of <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>The label sets of <paramref name="name"/>'s samples.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> LabelsOf(string name) => [.. _samples.Where(s => s.Name == name).Select(s => (IReadOnlyDictionary<string, string>)s.Labels)];

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex Sample();

    [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)",?""")]
    private static partial Regex Label();
}
