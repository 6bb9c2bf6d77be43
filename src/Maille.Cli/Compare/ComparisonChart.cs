using System.Globalization;
using System.Xml.Linq;

namespace Maille.Cli.Compare;

/// <summary>
/// The comparison as an SVG chart: one panel per measure (small multiples), one horizontal bar per combination,
/// each bar labelled with its value. A measure not taken has no bar. Colours are by data plane, shades by mode.
/// </summary>
internal static class ComparisonChart
{
    private const int PanelWidth = 330;
    private const int LabelWidth = 110;
    private const int BarHeight = 16;
    private const int BarGap = 6;
    private const int Columns = 3;
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public static XDocument Render(IReadOnlyList<ComparisonRow> rows, ComparisonSettings settings)
    {
        var many = settings.Services.ToString("N0", CultureInfo.InvariantCulture);
        var policies = settings.Policies.ToString("N0", CultureInfo.InvariantCulture);
        var panels = new (string Title, Func<ComparisonRow, double?> Value, string Format)[]
        {
            ("pod → pod, Gbit/s (higher is better)", r => r.PodToPodGbps, "F2"),
            ("pod → ClusterIP, Gbit/s (higher is better)", r => r.PodToClusterIpGbps, "F2"),
            ("connect p50, ms", r => r.Connect?.P50Ms, "F3"),
            ($"first packet p50, {ComparisonWorkload.InitialServices} Services, ms", r => r.FirstPacketFew?.P50Ms, "F3"),
            ($"first packet p50, {many} Services, ms", r => r.FirstPacketMany?.P50Ms, "F3"),
            ($"connect p50, {policies} policies, ms", r => r.ConnectWithPolicies?.P50Ms, "F3"),
            ($"program {many} Services, s", r => r.Services?.Seconds, "F2"),
            ($"program {policies} policies, s", r => r.Policies?.Seconds, "F2"),
            ("daemon memory, MB", r => r.DaemonMemoryMb, "F0"),
        };
        var panelHeight = 34 + (rows.Count * (BarHeight + BarGap));
        var width = Columns * PanelWidth;
        var height = 40 + ((panels.Length + Columns - 1) / Columns * panelHeight);
        var svg = new XElement(Svg + "svg",
            new XAttribute("width", width), new XAttribute("height", height),
            new XAttribute("viewBox", $"0 0 {width} {height}"), new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", 11),
            new XElement(Svg + "title", "maille compare"),
            new XElement(Svg + "rect", new XAttribute("width", width), new XAttribute("height", height), new XAttribute("fill", "white")),
            Text(10, 24, "maille compare: pod network mode × data plane", 15, "bold"));
        for (var i = 0; i < panels.Length; i++)
        {
            var (title, value, format) = panels[i];
            svg.Add(Panel((i % Columns) * PanelWidth, 40 + (i / Columns * panelHeight), title, rows, value, format));
        }

        return new XDocument(svg);
    }

    private static XElement Panel(int x, int y, string title, IReadOnlyList<ComparisonRow> rows, Func<ComparisonRow, double?> value, string format)
    {
        var group = new XElement(Svg + "g", new XAttribute("transform", $"translate({x},{y})"), Text(10, 16, title, 12, "bold"));
        var max = rows.Select(value).Where(v => v is > 0).DefaultIfEmpty(1).Max()!.Value;
        var barSpace = PanelWidth - LabelWidth - 60;
        for (var i = 0; i < rows.Count; i++)
        {
            var top = 26 + (i * (BarHeight + BarGap));
            group.Add(Text(10, top + 12, rows[i].Combination, 11, "normal"));
            if (value(rows[i]) is not { } v)
            {
                group.Add(Text(LabelWidth, top + 12, "not measured", 11, "normal"));
                continue;
            }

            var length = Math.Max(1, v / max * barSpace);
            group.Add(new XElement(Svg + "rect",
                new XAttribute("x", LabelWidth), new XAttribute("y", top), new XAttribute("width", Format(length, "F1")), new XAttribute("height", BarHeight),
                new XAttribute("fill", Colour(rows[i]))));
            group.Add(Text(LabelWidth + (int)length + 4, top + 12, Format(v, format), 11, "normal"));
        }

        return group;
    }

    /// <summary>Blue for nftables, orange for ebpf (other data planes grey); the vxlan mode a lighter shade.</summary>
    private static string Colour(ComparisonRow row) => (row.Dataplane, row.Mode) switch
    {
        ("nftables", "vxlan") => "#a0c4e8",
        ("nftables", _) => "#4e79a7",
        ("ebpf", "vxlan") => "#f9c58d",
        ("ebpf", _) => "#f28e2b",
        _ => "#999999",
    };

    private static XElement Text(int x, int y, string text, int size, string weight) =>
        new(Svg + "text", new XAttribute("x", x), new XAttribute("y", y), new XAttribute("font-size", size), new XAttribute("font-weight", weight), text);

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
