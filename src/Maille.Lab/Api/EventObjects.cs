using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Maille.Kube;
using Maille.Kube.Tables;
using Maille.Model;

namespace Maille.Lab.Api;

/// <summary>
/// The lab's events as the API serves them: core/v1 <c>Event</c> (what kubectl reads) and <c>events.k8s.io/v1</c>
/// <c>Event</c> (the same events, in the newer group's fields), and kubectl's columns for them.
/// </summary>
internal static class EventObjects
{
    public static ApiObject Core(LabEvent e) => new(Meta(e), e, () => new Corev1Event
    {
        ApiVersion = "v1",
        Kind = "Event",
        Metadata = Metadata(e),
        InvolvedObject = Reference(e),
        Reason = e.Reason,
        Message = e.Message,
        Type = e.Type,
        Source = new V1EventSource { Component = e.Component, Host = e.Host },
        FirstTimestamp = ServedStatus.Timestamp(e.FirstTimestamp),
        LastTimestamp = ServedStatus.Timestamp(e.LastTimestamp),
        Count = e.Count,
        ReportingComponent = e.Component,
        ReportingInstance = e.Host ?? "",
    });

    public static ApiObject EventsV1(LabEvent e) => new(Meta(e), e, () => new Eventsv1Event
    {
        ApiVersion = "events.k8s.io/v1",
        Kind = "Event",
        Metadata = Metadata(e),
        Regarding = Reference(e),
        Reason = e.Reason,
        Note = e.Message,
        Type = e.Type,
        ReportingController = e.Component,
        ReportingInstance = e.Host ?? "",
        DeprecatedSource = new V1EventSource { Component = e.Component, Host = e.Host },
        DeprecatedFirstTimestamp = ServedStatus.Timestamp(e.FirstTimestamp),
        DeprecatedLastTimestamp = ServedStatus.Timestamp(e.LastTimestamp),
        DeprecatedCount = e.Count,
    });

    /// <summary>kubectl's columns for events (the API server's printer); those after MESSAGE only with <c>-o wide</c>.</summary>
    public static readonly string[] Headers = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE", "SUBOBJECT", "SOURCE", "FIRST SEEN", "COUNT", "NAME"];

    public const int PlainColumns = 5;

    /// <summary>The cells of an event as written by either group (a watch has only the written object).</summary>
    public static string[] Cells(JsonObject written, TimeProvider clock)
    {
        var subject = (written["involvedObject"] ?? written["regarding"]) as JsonObject;
        var source = (written["source"] ?? written["deprecatedSource"]) as JsonObject;
        var last = (string?)(written["lastTimestamp"] ?? written["deprecatedLastTimestamp"]);
        var first = (string?)(written["firstTimestamp"] ?? written["deprecatedFirstTimestamp"]);
        var count = (written["count"] ?? written["deprecatedCount"])?.GetValue<int>() ?? 1;
        return
        [
            Age(last, clock),
            (string?)written["type"] ?? "",
            (string?)written["reason"] ?? "",
            $"{((string?)subject?["kind"] ?? "").ToLowerInvariant()}/{(string?)subject?["name"]}",
            (string?)(written["message"] ?? written["note"]) ?? "",
            (string?)subject?["fieldPath"] ?? "",
            string.Join(", ", new[] { (string?)source?["component"], (string?)source?["host"] }.Where(s => !string.IsNullOrEmpty(s))),
            Age(first, clock),
            count.ToString(CultureInfo.InvariantCulture),
            (string?)written["metadata"]?["name"] ?? "",
        ];
    }

    private static string Age(string? timestamp, TimeProvider clock) =>
        HumanDuration.Age(DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null, clock);

    private static V1ObjectMeta Metadata(LabEvent e) =>
        new() { Name = e.Name, NamespaceProperty = e.Namespace, Uid = e.Uid, CreationTimestamp = ServedStatus.Timestamp(e.FirstTimestamp) };

    private static V1ObjectReference Reference(LabEvent e) => new()
    {
        ApiVersion = e.Subject.ApiVersion,
        Kind = e.Subject.Kind,
        NamespaceProperty = e.Subject.Namespace,
        Name = e.Subject.Name,
        Uid = e.Subject.Uid,
        FieldPath = e.Subject.FieldPath,
    };

    private static ObjectMeta Meta(LabEvent e) => new()
    {
        Name = e.Name,
        Namespace = e.Namespace,
        Uid = e.Uid,
        CreationTimestamp = e.FirstTimestamp,
    };
}
