using System.Collections.Immutable;
using System.Text;
using Maille.Engine.Mesh;
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
/// <see cref="MatrixBuilder"/> and docs/networkpolicy.md). With a mesh (<see cref="MeshAuthorizer"/>), a TCP cell whose
/// two pods are both in the mesh is judged by NetworkPolicy on 15008/TCP (HBONE, what the kernel sees) and then by the
/// destination's node proxy on the cell's port; a plaintext cell into a meshed pod by NetworkPolicy on its port, then
/// by the node proxy (docs/mesh.md).
/// </remarks>
public sealed class ReachabilityMatrix
{
    private readonly NetworkPolicyEvaluator _evaluator;
    private readonly ulong[]?[][] _egress;
    private readonly ulong[]?[][] _ingress;
    private readonly MeshAuthorizer? _mesh;
    private readonly ulong[]?[] _hboneEgress;
    private readonly ulong[]?[] _hboneIngress;
    private int? _classCount;

    private ReachabilityMatrix(NetworkPolicyEvaluator evaluator, ImmutableArray<Pod> pods, ImmutableArray<PortProtocol> ports, ulong[]?[][] egress, ulong[]?[][] ingress, MeshAuthorizer? mesh, ulong[]?[] hboneEgress, ulong[]?[] hboneIngress)
    {
        _evaluator = evaluator;
        Pods = pods;
        Ports = ports;
        _egress = egress;
        _ingress = ingress;
        _mesh = mesh;
        _hboneEgress = hboneEgress;
        _hboneIngress = hboneIngress;
    }

    /// <summary>Whether the mesh takes part: some pod of the cluster is in it.</summary>
    public bool HasMesh => _mesh is not null;

    /// <summary>Rows and columns, sorted by <c>namespace/name</c>.</summary>
    public ImmutableArray<Pod> Pods { get; }

    public ImmutableArray<PortProtocol> Ports { get; }

    /// <summary>
    /// The verdict for port <paramref name="port"/> (index into <see cref="Ports"/>) from row to column, with the rule
    /// that decided it. Computed on demand (tens of microseconds); use <see cref="IsAllowed"/> for the decision alone.
    /// </summary>
    public Verdict this[int port, int from, int to]
    {
        get
        {
            if (from == to)
            {
                return Verdict.Loopback;
            }

            var judged = NetworkPolicyPort(port, from, to);
            return _evaluator.EvaluateClasses(_evaluator.ClassOf(Pods[from]), _evaluator.ClassOf(Pods[to]), judged.Port, judged.Protocol);
        }
    }

    /// <summary>The port NetworkPolicy judges for a cell: 15008/TCP (HBONE) between two meshed pods, else the cell's own.</summary>
    public PortProtocol NetworkPolicyPort(int port, int from, int to) =>
        _mesh is null ? Ports[port] : _mesh.PolicyPort(Pods[from], Pods[to], Ports[port].Port, Ports[port].Protocol);

    /// <summary>
    /// The destination node proxy's decision for a cell NetworkPolicy allows, or null when there is none: no mesh, the
    /// destination outside it, a UDP or SCTP port, the diagonal, or a connection NetworkPolicy already drops.
    /// </summary>
    public MeshVerdict? Mesh(int port, int from, int to)
    {
        if (_mesh is null || from == to || !NetworkPolicyAllows(port, from, to))
        {
            return null;
        }

        var verdict = _mesh.Authorize(_evaluator.EndpointOf(Pods[from]), Pods[to], Ports[port].Port, Ports[port].Protocol);
        return verdict.Applies ? verdict : null;
    }

    /// <summary>Whether NetworkPolicy allows the cell but the mesh denies it (<c>M</c> in the truth table).</summary>
    public bool DeniedByMesh(int port, int from, int to) => Mesh(port, from, to) is { Allowed: false };

    /// <summary>
    /// How many distinct classes the rows fall into. The matrix does not need classes, so the first read classifies
    /// every row.
    /// </summary>
    public int ClassCount => _classCount ??= Pods.Select(_evaluator.ClassOf).Distinct().Count();

    /// <summary>Whether row <paramref name="from"/> may open a connection to column <paramref name="to"/> on port index <paramref name="port"/>.</summary>
    public bool IsAllowed(int port, int from, int to) =>
        from == to || (NetworkPolicyAllows(port, from, to) && Mesh(port, from, to) is not { Allowed: false });

    private bool NetworkPolicyAllows(int port, int from, int to)
    {
        if (from == to)
        {
            return true;
        }

        var hbone = _mesh is not null && _mesh.CarriesOverHbone(Pods[from], Pods[to], Ports[port].Protocol);
        var egress = hbone ? _hboneEgress : _egress[port];
        var ingress = hbone ? _hboneIngress : _ingress[port];
        return (egress[from] is not { } e || PodBits.Test(e, to)) && (ingress[to] is not { } i || PodBits.Test(i, from));
    }

    /// <summary>
    /// The matrix over the non-hostNetwork pods among <paramref name="pods"/>; with <paramref name="mesh"/>, mesh
    /// authorization is applied after NetworkPolicy (a mesh without meshed pods changes nothing and is dropped).
    /// </summary>
    public static ReachabilityMatrix Compute(NetworkPolicyEvaluator evaluator, IEnumerable<Pod> pods, IEnumerable<PortProtocol> ports, MeshAuthorizer? mesh = null)
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

        mesh = mesh is { HasMeshedPods: true } ? mesh : null;
        var hbone = new PortProtocol(MeshApi.HbonePort, Protocol.TCP);
        return new ReachabilityMatrix(evaluator, rows, columns, egress, ingress, mesh,
            mesh is null ? [] : builder.EgressRows(hbone), mesh is null ? [] : builder.IngressColumns(hbone));
    }

    /// <summary>Every distinct containerPort/protocol the non-hostNetwork pods declare, sorted by number then protocol.</summary>
    public static ImmutableArray<PortProtocol> DeclaredPorts(IEnumerable<Pod> pods) =>
        [.. pods.Where(p => !p.Spec.HostNetwork).SelectMany(p => p.Spec.AllPorts).Select(p => new PortProtocol(p.Port, p.Protocol)).Distinct().Order()];

    /// <summary>
    /// One port's grid in upstream e2e style: a title line, then rows = from and columns = to, <c>.</c> allowed and
    /// <c>X</c> denied; with a mesh, <c>M</c> where NetworkPolicy allows and mesh authorization denies.
    /// </summary>
    public string TruthTable(int port)
    {
        var names = Pods.Select(p => p.QualifiedName).ToList();
        var width = Math.Max(1, names.Count == 0 ? 1 : names.Max(n => n.Length)) + 2;
        var text = new StringBuilder();
        text.Append(Ports[port]).Append(HasMesh ? " (rows: from, columns: to; . allowed, X denied, M denied by the mesh)\n" : " (rows: from, columns: to; . allowed, X denied)\n");
        text.Append("-".PadRight(width)).Append(string.Join("", names.Select(n => n.PadRight(width))).TrimEnd()).Append('\n');
        for (var from = 0; from < Pods.Length; from++)
        {
            var cells = Enumerable.Range(0, Pods.Length).Select(to => Cell(port, from, to).PadRight(width));
            text.Append(names[from].PadRight(width)).Append(string.Concat(cells).TrimEnd()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A cell of the truth table: <c>.</c>, <c>X</c> (NetworkPolicy) or <c>M</c> (the mesh).</summary>
    public string Cell(int port, int from, int to) =>
        !NetworkPolicyAllows(port, from, to) ? "X" : Mesh(port, from, to) is { Allowed: false } ? "M" : ".";
}
