using System.Collections.Immutable;
using System.Text;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// Every ordered pair of pods (self included) on every port: the upstream e2e "truth table". <see cref="IsAllowed"/>
/// answers a cell from bitsets; the indexer gives the cell's <see cref="Verdict"/> (with the deciding rule), computed
/// on demand by the evaluator.
/// </summary>
/// <remarks>
/// Per port, each row (source) keeps the set of destinations its egress allows and each column (destination) the set
/// of sources its ingress allows, as bitsets over the rows (null when the pod is not isolated in that direction). A
/// cell is allowed when it is on the diagonal or both bits are set. Pods selected by the same policies share one
/// bitset, so computing the matrix costs distinct rows × rules × pods/64 word operations (see
/// <see cref="MatrixBuilder"/> and docs/networkpolicy.md).
/// </remarks>
public sealed class ReachabilityMatrix
{
    private readonly NetworkPolicyEvaluator _evaluator;
    private readonly ulong[]?[][] _egress;
    private readonly ulong[]?[][] _ingress;
    private int? _classCount;

    private ReachabilityMatrix(NetworkPolicyEvaluator evaluator, ImmutableArray<Pod> pods, ImmutableArray<PortProtocol> ports, ulong[]?[][] egress, ulong[]?[][] ingress)
    {
        _evaluator = evaluator;
        Pods = pods;
        Ports = ports;
        _egress = egress;
        _ingress = ingress;
    }

    /// <summary>Rows and columns, sorted by <c>namespace/name</c>.</summary>
    public ImmutableArray<Pod> Pods { get; }

    public ImmutableArray<PortProtocol> Ports { get; }

    /// <summary>
    /// The verdict for port <paramref name="port"/> (index into <see cref="Ports"/>) from row to column, with the rule
    /// that decided it. Computed on demand (tens of microseconds); use <see cref="IsAllowed"/> for the decision alone.
    /// </summary>
    public Verdict this[int port, int from, int to] => from == to
        ? Verdict.Loopback
        : _evaluator.EvaluateClasses(_evaluator.ClassOf(Pods[from]), _evaluator.ClassOf(Pods[to]), Ports[port].Port, Ports[port].Protocol);

    /// <summary>
    /// How many distinct classes the rows fall into. The matrix does not need classes, so the first read classifies
    /// every row.
    /// </summary>
    public int ClassCount => _classCount ??= Pods.Select(_evaluator.ClassOf).Distinct().Count();

    /// <summary>Whether row <paramref name="from"/> may open a connection to column <paramref name="to"/> on port index <paramref name="port"/>.</summary>
    public bool IsAllowed(int port, int from, int to) =>
        from == to
        || ((_egress[port][from] is not { } egress || PodBits.Test(egress, to))
            && (_ingress[port][to] is not { } ingress || PodBits.Test(ingress, from)));

    /// <summary>The matrix over the non-hostNetwork pods among <paramref name="pods"/>.</summary>
    public static ReachabilityMatrix Compute(NetworkPolicyEvaluator evaluator, IEnumerable<Pod> pods, IEnumerable<PortProtocol> ports)
    {
        ImmutableArray<Pod> rows = [.. pods.Where(p => !p.Spec.HostNetwork).OrderBy(p => p.QualifiedName, StringComparer.Ordinal)];
        ImmutableArray<PortProtocol> columns = [.. ports.Distinct().Order()];
        var builder = new MatrixBuilder(evaluator, rows);
        var egress = new ulong[]?[columns.Length][];
        var ingress = new ulong[]?[columns.Length][];
        for (var port = 0; port < columns.Length; port++)
        {
            egress[port] = builder.EgressRows(columns[port]);
            ingress[port] = builder.IngressColumns(columns[port]);
        }

        return new ReachabilityMatrix(evaluator, rows, columns, egress, ingress);
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
            var cells = Enumerable.Range(0, Pods.Length).Select(to => (IsAllowed(port, from, to) ? "." : "X").PadRight(width));
            text.Append(names[from].PadRight(width)).Append(string.Concat(cells).TrimEnd()).Append('\n');
        }

        return text.ToString();
    }
}
