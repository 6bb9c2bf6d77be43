using System.Globalization;
using System.Text;
using System.Text.Json;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Kube.Views;

/// <summary>
/// Prints a <see cref="ReachabilityDiff"/> (and, on a running lab, the seen flows it would cut) as a table grouped by
/// source and destination namespace, or as JSON whose shape docs/what-if.md holds as a contract. The exit code is
/// <c>diff</c>'s: 0 when nothing changes, 1 when something does.
/// </summary>
public static class WhatIfView
{
    /// <summary>How many members of a group the table names before it counts the rest.</summary>
    private const int NamedMembers = 3;

    public static int Write(ReachabilityDiff diff, WhatIfFlows? flows, bool json, TextWriter stdout)
    {
        if (json)
        {
            WriteJson(diff, flows, stdout);
        }
        else
        {
            WriteTable(diff, flows, stdout);
        }

        return diff.IsEmpty && (flows is null || flows.Impact.Cut.IsEmpty) ? 0 : 1;
    }

    private static void WriteTable(ReachabilityDiff diff, WhatIfFlows? flows, TextWriter stdout)
    {
        var ports = diff.Ports.IsEmpty ? "no port (the pods declare none; name some with --port)" : string.Join(", ", diff.Ports);
        if (diff.IsEmpty)
        {
            stdout.WriteLine($"No connection gained or lost on {ports}.");
        }
        else
        {
            stdout.WriteLine($"{Count(diff.Gained)} gained, {Count(diff.Lost)} lost on {ports}.");
            string? section = null;
            foreach (var change in diff.Changes)
            {
                var title = $"{change.From.Namespace} → {change.To.Namespace}";
                if (title != section)
                {
                    stdout.WriteLine();
                    stdout.WriteLine(title);
                    section = title;
                }

                var count = change.Connections > 1 ? $"  ({Count(change.Connections)})" : "";
                stdout.WriteLine($"  {(change.Kind == ReachabilityChangeKind.Gained ? "gained" : "lost  ")}  {change.Port,-9} {Name(change.From)} → {Name(change.To)}{count}");
                stdout.WriteLine($"      current:   {Decision(change.Current)}");
                stdout.WriteLine($"      candidate: {Decision(change.Candidate)}");
            }

            if (diff.Groups.Any(g => g.Pods.Length > 1))
            {
                stdout.WriteLine();
                stdout.WriteLine("Pods every policy treats alike before and after (same namespace, labels, named ports and ipBlock membership) share a line; -o json lists each group's pods.");
            }
        }

        if (flows is null)
        {
            return;
        }

        stdout.WriteLine();
        stdout.WriteLine($"Flows seen ({flows.Window}):");
        foreach (var error in flows.Errors)
        {
            stdout.WriteLine($"  not read: {error}");
        }

        stdout.WriteLine($"  {Count(flows.Impact.Judged)} between pods; {Count(flows.Impact.NotJudged)} with an end that is no pod (a node, the outside), not judged.");
        if (flows.Impact.Cut.IsEmpty)
        {
            stdout.WriteLine("  The change would cut none of them.");
            return;
        }

        stdout.WriteLine($"  The change would cut {Count(flows.Impact.Cut.Sum(c => c.Connections))}:");
        foreach (var cut in flows.Impact.Cut)
        {
            stdout.WriteLine($"  cut     {cut.Port,-9} {cut.From} → {cut.To}  ({Count(cut.Connections)}, seen on {string.Join(", ", cut.Nodes)})");
            stdout.WriteLine($"      current:   {Decision(cut.Current)}");
            stdout.WriteLine($"      candidate: {Decision(cut.Candidate)}");
        }

        stdout.WriteLine(flows.FlushesDenied
            ? "  This lab deletes the connections a change denies (up --flush-denied-connections): these end when it is applied."
            : "  This lab leaves established connections alone: these live on until they close, and new ones like them are refused.");
    }

    private static string Count(long connections) => connections == 1 ? "1 connection" : string.Create(CultureInfo.InvariantCulture, $"{connections} connections");

    /// <summary>A group as the table names it: its pods, or the first ones and how many more; marked when one side lacks them.</summary>
    private static string Name(PodGroup group)
    {
        var name = group.Pods.Length <= NamedMembers
            ? string.Join(", ", group.Pods)
            : string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", group.Pods.Take(NamedMembers))} and {group.Pods.Length - NamedMembers} more alike");
        return !group.InCurrent ? name + " (new)" : !group.InCandidate ? name + " (gone)" : name;
    }

    /// <summary>
    /// A verdict in a few words: for an allowed connection the rule that allowed each isolated side; for a denied one
    /// the side that denied it, as <c>default deny of NS/POLICY</c> (the policies that isolate it, none of whose rules
    /// allow it).
    /// </summary>
    public static string Decision(Verdict? verdict)
    {
        if (verdict is null)
        {
            return "no such pod on this side";
        }

        if (verdict.Reason != VerdictReason.Policy)
        {
            return verdict.ToString();
        }

        var sides = new[] { verdict.Egress, verdict.Ingress };
        if (verdict.Allowed)
        {
            return "allowed: " + string.Join("; ", sides.Select(side => side.IsIsolated ? $"{Direction(side)} allowed by {side.AllowedBy}" : $"{Direction(side)} not isolated"));
        }

        return "denied: " + string.Join("; ", sides.Where(side => !side.Allowed).Select(side => $"{Direction(side)}: {DefaultDeny(side)}"));
    }

    private static string Direction(DirectionVerdict side) => side.Direction == PolicyDirection.Ingress ? "ingress" : "egress";

    private static string DefaultDeny(DirectionVerdict side) => "default deny of " + string.Join(", ", side.IsolatedBy);

    private static void WriteJson(ReachabilityDiff diff, WhatIfFlows? flows, TextWriter stdout)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("ports");
            foreach (var port in diff.Ports)
            {
                json.WriteStringValue(port.ToString());
            }

            json.WriteEndArray();
            json.WriteNumber("gained", diff.Gained);
            json.WriteNumber("lost", diff.Lost);
            json.WriteStartArray("groups");
            foreach (var group in diff.Groups)
            {
                json.WriteStartObject();
                json.WriteNumber("id", group.Id);
                json.WriteString("namespace", group.Namespace);
                json.WriteStartArray("pods");
                foreach (var pod in group.Pods)
                {
                    json.WriteStringValue(pod);
                }

                json.WriteEndArray();
                json.WriteStartObject("labels");
                foreach (var (key, value) in group.Labels)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
                json.WriteBoolean("inCurrent", group.InCurrent);
                json.WriteBoolean("inCandidate", group.InCandidate);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("changes");
            foreach (var change in diff.Changes)
            {
                json.WriteStartObject();
                json.WriteString("change", change.Kind == ReachabilityChangeKind.Gained ? "gained" : "lost");
                json.WriteString("port", change.Port.ToString());
                json.WriteNumber("from", change.From.Id);
                json.WriteNumber("to", change.To.Id);
                json.WriteNumber("connections", change.Connections);
                WriteDecision(json, "current", change.Current);
                WriteDecision(json, "candidate", change.Candidate);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (flows is not null)
            {
                WriteFlows(json, flows);
            }

            json.WriteEndObject();
        }

        stdout.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteFlows(Utf8JsonWriter json, WhatIfFlows flows)
    {
        json.WriteStartObject("flows");
        json.WriteString("window", flows.Window);
        json.WriteString("establishedConnections", flows.FlushesDenied ? "flushed" : "kept");
        json.WriteNumber("judged", flows.Impact.Judged);
        json.WriteNumber("notJudged", flows.Impact.NotJudged);
        json.WriteStartArray("errors");
        foreach (var error in flows.Errors)
        {
            json.WriteStringValue(error);
        }

        json.WriteEndArray();
        json.WriteStartArray("cut");
        foreach (var cut in flows.Impact.Cut)
        {
            json.WriteStartObject();
            json.WriteString("from", cut.From);
            json.WriteString("to", cut.To);
            json.WriteString("port", cut.Port.ToString());
            json.WriteNumber("connections", cut.Connections);
            json.WriteStartArray("nodes");
            foreach (var node in cut.Nodes)
            {
                json.WriteStringValue(node);
            }

            json.WriteEndArray();
            WriteDecision(json, "current", cut.Current);
            WriteDecision(json, "candidate", cut.Candidate);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary><c>null</c> where the side lacks a pod; else <c>{"allowed", "text", "egress", "ingress"}</c>.</summary>
    private static void WriteDecision(Utf8JsonWriter json, string name, Verdict? verdict)
    {
        if (verdict is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartObject(name);
        json.WriteBoolean("allowed", verdict.Allowed);
        json.WriteString("text", Decision(verdict));
        WriteSide(json, "egress", verdict.Egress);
        WriteSide(json, "ingress", verdict.Ingress);
        json.WriteEndObject();
    }

    /// <summary><c>{"isolatedBy": [...], "allowedBy": RULE or null}</c>; an empty <c>isolatedBy</c> means not isolated.</summary>
    private static void WriteSide(Utf8JsonWriter json, string name, DirectionVerdict side)
    {
        json.WriteStartObject(name);
        json.WriteStartArray("isolatedBy");
        foreach (var policy in side.IsolatedBy)
        {
            json.WriteStringValue(policy);
        }

        json.WriteEndArray();
        if (side.AllowedBy is { } rule)
        {
            json.WriteStartObject("allowedBy");
            json.WriteString("policy", rule.Policy);
            json.WriteString("direction", rule.Direction == PolicyDirection.Ingress ? "ingress" : "egress");
            json.WriteNumber("rule", rule.Rule);
            WriteIndex(json, "peer", rule.Peer);
            WriteIndex(json, "port", rule.Port);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("allowedBy");
        }

        json.WriteEndObject();
    }

    private static void WriteIndex(Utf8JsonWriter json, string name, int? index)
    {
        if (index is { } value)
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
