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
    private readonly Verdict[,,] _cells;

    private ReachabilityMatrix(ImmutableArray<Pod> pods, ImmutableArray<PortProtocol> ports, Verdict[,,] cells)
    {
        Pods = pods;
        Ports = ports;
        _cells = cells;
    }

    /// <summary>Rows and columns, sorted by <c>namespace/name</c>.</summary>
    public ImmutableArray<Pod> Pods { get; }

    public ImmutableArray<PortProtocol> Ports { get; }

    /// <summary>The verdict for port <paramref name="port"/> (index into <see cref="Ports"/>) from row to column.</summary>
    public Verdict this[int port, int from, int to] => _cells[port, from, to];

    /// <summary>The matrix over the non-hostNetwork pods among <paramref name="pods"/>.</summary>
    public static ReachabilityMatrix Compute(NetworkPolicyEvaluator evaluator, IEnumerable<Pod> pods, IEnumerable<PortProtocol> ports)
    {
        ImmutableArray<Pod> rows = [.. pods.Where(p => !p.Spec.HostNetwork).OrderBy(p => p.QualifiedName, StringComparer.Ordinal)];
        ImmutableArray<PortProtocol> columns = [.. ports.Distinct().Order()];
        // Between two distinct pods the verdict depends only on their classes: decide each class pair once per port.
        var classes = rows.Select(evaluator.ClassOf).ToArray();
        var classIds = new Dictionary<int, int>();
        var classOf = classes.Select(c => classIds.TryGetValue(c.Id, out var index) ? index : classIds[c.Id] = classIds.Count).ToArray();
        var cells = new Verdict[columns.Length, rows.Length, rows.Length];
        for (var port = 0; port < columns.Length; port++)
        {
            var perClass = new Verdict?[classIds.Count, classIds.Count];
            for (var from = 0; from < rows.Length; from++)
            {
                for (var to = 0; to < rows.Length; to++)
                {
                    cells[port, from, to] = from == to
                        ? Verdict.Loopback
                        : perClass[classOf[from], classOf[to]] ??= evaluator.EvaluateClasses(classes[from], classes[to], columns[port].Port, columns[port].Protocol);
                }
            }
        }

        return new ReachabilityMatrix(rows, columns, cells);
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
