namespace Maille.Kube.Tables;

/// <summary>
/// kubectl's plain table: upper-case headers, columns left-aligned and separated by three spaces, no borders
/// (kubectl prints through a tabwriter with padding 3, which is what scripts that parse it expect).
/// </summary>
public sealed class KubectlTable(IReadOnlyList<string> headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public int Count => _rows.Count;

    public IReadOnlyList<string> Headers => headers;

    /// <summary>The rows, each a cell per header, in the order they were added.</summary>
    public IReadOnlyList<string[]> Rows => _rows;

    public void Write(TextWriter writer)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        WriteRow(writer, headers, widths);
        foreach (var row in _rows)
        {
            WriteRow(writer, row, widths);
        }
    }

    private static void WriteRow(TextWriter writer, IReadOnlyList<string> cells, int[] widths)
    {
        var line = string.Concat(cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i] + 3)));
        writer.WriteLine(line.TrimEnd());
    }
}
