using System.Collections.Immutable;
using System.Text;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// Every ordered pair of pods (self included) on every port: the upstream e2e "truth table", with the verdict (and so
/// the reason) kept for each cell.
/// </summary>
internal sealed class ReachabilityMatrix
{
    // Verdicts are stored per class pair, not per pod pair: 5,000 pods would need 25 million cells per port, while
    // their classes number in the hundreds. A cell is looked up through the row's and the column's class.
    private readonly Verdict[][,] _perClass;
    private readonly int[] _classOfRow;

    private ReachabilityMatrix(ImmutableArray<Pod> pods, ImmutableArray<PortProtocol> ports, Verdict[][,] perClass, int[] classOfRow)
    {
        Pods = pods;
        Ports = ports;
        _perClass = perClass;
        _classOfRow = classOfRow;
    }

    /// <summary>Rows and columns, sorted by <c>namespace/name</c>.</summary>
    public ImmutableArray<Pod> Pods { get; }

    public ImmutableArray<PortProtocol> Ports { get; }

    /// <summary>The verdict for port <paramref name="port"/> (index into <see cref="Ports"/>) from row to column.</summary>
    public Verdict this[int port, int from, int to] => from == to ? Verdict.Loopback : _perClass[port][_classOfRow[from], _classOfRow[to]];

    /// <summary>How many distinct classes the rows fall into.</summary>
    public int ClassCount => _perClass.Length == 0 ? 0 : _perClass[0].GetLength(0);

    /// <summary>The matrix over the non-hostNetwork pods among <paramref name="pods"/>.</summary>
    public static ReachabilityMatrix Compute(NetworkPolicyEvaluator evaluator, IEnumerable<Pod> pods, IEnumerable<PortProtocol> ports)
    {
        ImmutableArray<Pod> rows = [.. pods.Where(p => !p.Spec.HostNetwork).OrderBy(p => p.QualifiedName, StringComparer.Ordinal)];
        ImmutableArray<PortProtocol> columns = [.. ports.Distinct().Order()];
        // Between two distinct pods the verdict depends only on their classes: decide each class pair once per port.
        var classes = rows.Select(evaluator.ClassOf).ToArray();
        var classIds = new Dictionary<int, int>();
        var classOf = classes.Select(c => classIds.TryGetValue(c.Id, out var index) ? index : classIds[c.Id] = classIds.Count).ToArray();
        var representatives = new PodClass[classIds.Count];
        for (var row = 0; row < rows.Length; row++)
        {
            representatives[classOf[row]] = classes[row];
        }

        var perClass = new Verdict[columns.Length][,];
        for (var port = 0; port < columns.Length; port++)
        {
            var grid = new Verdict[representatives.Length, representatives.Length];
            for (var from = 0; from < representatives.Length; from++)
            {
                for (var to = 0; to < representatives.Length; to++)
                {
                    grid[from, to] = evaluator.EvaluateClasses(representatives[from], representatives[to], columns[port].Port, columns[port].Protocol);
                }
            }

            perClass[port] = grid;
        }

        return new ReachabilityMatrix(rows, columns, perClass, classOf);
    }

    /// <summary>Every distinct containerPort/protocol the non-hostNetwork pods declare, sorted by number then protocol.</summary>
    public static ImmutableArray<PortProtocol> DeclaredPorts(IEnumerable<Pod> pods) =>
        [.. pods.Where(p => !p.Spec.HostNetwork).SelectMany(p => p.Spec.AllPorts).Select(p => new PortProtocol(p.Port, p.Protocol)).Distinct().Order()];

    /// <summary>
    /// One port's grid in upstream e2e style: a title line, then rows = from and columns = to, <c>.</c> allowed and
    /// <c>X</c> denied.
    /// </summary>
    public string TruthTable(int port)
    {
        var names = Pods.Select(p => p.QualifiedName).ToList();
        var width = Math.Max(1, names.Count == 0 ? 1 : names.Max(n => n.Length)) + 2;
        var text = new StringBuilder();
        text.Append(Ports[port]).Append(" (rows: from, columns: to; . allowed, X denied)\n");
        text.Append("-".PadRight(width)).Append(string.Join("", names.Select(n => n.PadRight(width))).TrimEnd()).Append('\n');
        for (var from = 0; from < Pods.Length; from++)
        {
            var cells = Enumerable.Range(0, Pods.Length).Select(to => (this[port, from, to].Allowed ? "." : "X").PadRight(width));
            text.Append(names[from].PadRight(width)).Append(string.Concat(cells).TrimEnd()).Append('\n');
        }

        return text.ToString();
    }
}
