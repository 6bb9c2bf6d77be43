using System.Text.Json;
using Maille.Engine.NetworkPolicies;
using Maille.Kube.Views;

namespace Maille.Cli.Output;

/// <summary>Renders a <see cref="ReachabilityMatrix"/> as truth tables, JSON, CSV or Markdown, always in matrix order.</summary>
internal static class MatrixOutput
{
    public static void Write(ReachabilityMatrix matrix, string format, TextWriter writer)
    {
        switch (format)
        {
            case "json":
                WriteJson(matrix, writer);
                break;
            case "csv":
                WriteCsv(matrix, writer);
                break;
            case "md":
                WriteMarkdown(matrix, writer);
                break;
            default:
                WriteTables(matrix, writer);
                break;
        }
    }

    private static void WriteTables(ReachabilityMatrix matrix, TextWriter writer)
    {
        if (matrix.Pods.IsEmpty || matrix.Ports.IsEmpty)
        {
            writer.WriteLine(matrix.Pods.IsEmpty ? "No pods." : "No ports: the pods declare no containerPort; name some with --port.");
            return;
        }

        for (var port = 0; port < matrix.Ports.Length; port++)
        {
            if (port > 0)
            {
                writer.WriteLine();
            }

            writer.Write(matrix.TruthTable(port));
        }
    }

    /// <summary>
    /// <c>{"pods": [...], "ports": [...], "connections": [{"from", "to", "port", "allowed", "decidedBy", "egress",
    /// "ingress"}]}</c>: one connection per port, then per source, then per destination, in the order of <c>pods</c> and
    /// <c>ports</c>; <c>egress</c> and <c>ingress</c> say which tier, priority, policy and rule decided each side.
    /// </summary>
    private static void WriteJson(ReachabilityMatrix matrix, TextWriter writer)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("pods");
            foreach (var pod in matrix.Pods)
            {
                json.WriteStringValue(pod.QualifiedName);
            }

            json.WriteEndArray();
            json.WriteStartArray("ports");
            foreach (var port in matrix.Ports)
            {
                json.WriteStringValue(port.ToString());
            }

            json.WriteEndArray();
            json.WriteStartArray("connections");
            foreach (var (port, from, to, cell) in Cells(matrix))
            {
                json.WriteStartObject();
                json.WriteString("from", from);
                json.WriteString("to", to);
                json.WriteString("port", port);
                json.WriteBoolean("allowed", matrix.IsAllowed(cell.Port, cell.From, cell.To));
                // The only output that prints a reason, so the only one that computes each cell's verdict.
                var verdict = matrix[cell.Port, cell.From, cell.To];
                var mesh = matrix.Mesh(cell.Port, cell.From, cell.To);
                json.WriteString("decidedBy", mesh is null ? verdict.ToString() : $"{(mesh.Allowed ? "allowed" : "denied")}: NetworkPolicy {verdict}; mesh: {mesh}");
                json.WritePropertyName("egress");
                DecisionJson.Of(TierDecision.Of(verdict.Egress)).WriteTo(json);
                json.WritePropertyName("ingress");
                DecisionJson.Of(TierDecision.Of(verdict.Ingress)).WriteTo(json);
                if (matrix.HasMesh)
                {
                    json.WriteNumber("networkPolicyPort", matrix.NetworkPolicyPort(cell.Port, cell.From, cell.To).Port);
                    json.WritePropertyName("mesh");
                    if (mesh is null)
                    {
                        json.WriteNullValue();
                    }
                    else
                    {
                        MeshJson.Of(mesh).WriteTo(json);
                    }
                }
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        writer.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteCsv(ReachabilityMatrix matrix, TextWriter writer)
    {
        writer.WriteLine("from,to,port,allowed");
        foreach (var (port, from, to, cell) in Cells(matrix))
        {
            writer.WriteLine($"{from},{to},{port},{(matrix.IsAllowed(cell.Port, cell.From, cell.To) ? "true" : "false")}");
        }
    }

    private static void WriteMarkdown(ReachabilityMatrix matrix, TextWriter writer)
    {
        var names = matrix.Pods.Select(p => p.QualifiedName).ToList();
        for (var port = 0; port < matrix.Ports.Length; port++)
        {
            if (port > 0)
            {
                writer.WriteLine();
            }

            writer.WriteLine($"### {matrix.Ports[port]}");
            writer.WriteLine();
            writer.WriteLine(matrix.HasMesh ? "Rows are sources, columns destinations; `.` allowed, `X` denied, `M` denied by the mesh." : "Rows are sources, columns destinations; `.` allowed, `X` denied.");
            writer.WriteLine();
            writer.WriteLine($"| from \\ to | {string.Join(" | ", names)} |");
            writer.WriteLine($"|---|{string.Concat(names.Select(_ => ":-:|"))}");
            for (var from = 0; from < names.Count; from++)
            {
                var cells = Enumerable.Range(0, names.Count).Select(to => matrix.Cell(port, from, to));
                writer.WriteLine($"| {names[from]} | {string.Join(" | ", cells)} |");
            }
        }
    }

    /// <summary>Every cell in output order: the names to print and the cell's indexes.</summary>
    private static IEnumerable<(string Port, string From, string To, (int Port, int From, int To) Cell)> Cells(ReachabilityMatrix matrix)
    {
        for (var port = 0; port < matrix.Ports.Length; port++)
        {
            for (var from = 0; from < matrix.Pods.Length; from++)
            {
                for (var to = 0; to < matrix.Pods.Length; to++)
                {
                    yield return (matrix.Ports[port].ToString(), matrix.Pods[from].QualifiedName, matrix.Pods[to].QualifiedName, (port, from, to));
                }
            }
        }
    }
}
