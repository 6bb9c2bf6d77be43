using System.Buffers;
using System.Globalization;
using System.Text.Json.Nodes;
using Maille.Engine;
using Maille.Engine.Workloads;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Api;

/// <summary>
/// The lab's API, shaped like the Kubernetes API so that its clients can later talk to it unchanged: paths such as
/// <c>/api/v1/namespaces/{ns}/pods</c> and <c>/apis/discovery.k8s.io/v1/endpointslices</c>, Kubernetes objects as JSON,
/// <c>*List</c> kinds with a resource version, a <c>Status</c> object for errors, and <c>?watch=true</c> streams of
/// <c>ADDED</c>/<c>MODIFIED</c>/<c>DELETED</c> events, discovery (<c>/api</c>, <c>/apis</c>, resource lists). Writes go
/// through the lab's controller, so each is planned whole before anything changes: <c>POST</c> (create), <c>PUT</c>
/// (replace), <c>DELETE</c> and <c>PATCH</c> (JSON merge patch of <c>metadata.labels</c>) on the Kubernetes paths, and
/// the batch verbs <c>maille apply/delete/label</c> use under <c>/apis/maille.dev/v1alpha1/</c> (one transaction for
/// a whole file set). Served on a Unix socket in the lab's state folder (0600, for root), and, given
/// <paramref name="https"/>, over HTTPS on 127.0.0.1, where every request must present a client certificate that the
/// lab's authority issued (<see cref="LabCredentials"/>) or gets 401.
/// </summary>
public sealed partial class LabApiServer(LabStore store, string socketPath, Labs.LabController? controller = null, LabApiHttps? https = null) : IAsyncDisposable
{
    /// <summary>The largest request body over HTTPS, the API server's own limit (3 MiB); the socket takes whole labs.</summary>
    public const long MaxHttpsBodyBytes = 3 * 1024 * 1024;

    /// <summary>The largest request body on the Unix socket: <c>maille apply</c> of a 10,000-object lab is about 4 MiB.</summary>
    public const long MaxSocketBodyBytes = 256 * 1024 * 1024;

    private static readonly System.Text.Json.JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>How long stopping waits for requests in flight before it cuts them.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    private WebApplication? _app;
    private CancellationToken _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        File.Delete(socketPath);
        var builder = WebApplication.CreateSlimBuilder(UnwatchedWebHost.Options());
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxHttpsBodyBytes;
            k.ListenUnixSocket(socketPath);
            if (https is not null)
            {
                void Tls(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) => listen.UseHttps(tls =>
                {
                    tls.ServerCertificate = https.Credentials.Server;

                    // Asked for, and judged per request below, so that a missing or foreign certificate gets a 401
                    // Status as from the API server rather than a failed handshake.
                    tls.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
                    tls.AllowAnyClientCertificate();
                });
                k.Listen(System.Net.IPAddress.Loopback, https.Port, Tls);

                // Sockets bound inside the nodes' namespaces: Kestrel accepts on them wherever they were made.
                foreach (var socket in https.NamespaceListeners)
                {
                    k.ListenHandle((ulong)socket.Handle, Tls);
                }
            }
        });

        // Watches end when the app stops (see Watch); whatever still hangs is cut after this, so SIGTERM is enough.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        var app = builder.Build();
        _stopping = app.Lifetime.ApplicationStopping;
        app.Use(RefuseDotSegments);
        app.Use(Authenticate);
        app.Use(AnswerRefusalsWithStatus);
        app.UseWebSockets();
        app.MapGet("/version", Discovery.ServerVersion);
        app.MapGet("/openapi/v3", (HttpContext http) => Json(http, 200, OpenApiDocuments.Index()));
        app.MapGet("/openapi/v3/{**groupVersion}", async (HttpContext http, string groupVersion) =>
        {
            if (OpenApiDocuments.Document(groupVersion) is not { } document)
            {
                await Status(http, 404, "NotFound", $"the server could not find the requested resource (openapi/v3/{groupVersion})");
                return;
            }

            // Immutable for its hash, as the API server says, so clients cache it.
            http.Response.Headers.CacheControl = http.Request.Query.ContainsKey("hash") ? "public, immutable" : "no-cache, private";
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(document.Json, http.RequestAborted);
        });
        app.MapGet("/api", Discovery.Versions);
        app.MapGet("/apis", Discovery.Groups);
        app.MapGet("/api/{version}", (HttpContext http, string version) => Discovery.Resources(http, "", version));
        app.MapGet("/apis/{group}/{version}", (HttpContext http, string group, string version) => Discovery.Resources(http, group, version));
        MapWrites(app);
        MapScale(app);
        MapStatus(app);
        MapExec(app);
        MapPortForward(app);
        MapLogs(app);
        MapAccessReviews(app);
        MapViews(app);
        MapFlows(app);
        app.MapGet("/api/{version}/{plural}", (HttpContext http, string version, string plural) => Serve(http, "", version, plural, null, null));
        app.MapGet("/api/{version}/{plural}/{name}", (HttpContext http, string version, string plural, string name) => Serve(http, "", version, plural, null, name));
        app.MapGet("/api/{version}/namespaces/{ns}/{plural}", (HttpContext http, string version, string ns, string plural) => Serve(http, "", version, plural, ns, null));
        app.MapGet("/api/{version}/namespaces/{ns}/{plural}/{name}", (HttpContext http, string version, string ns, string plural, string name) => Serve(http, "", version, plural, ns, name));
        app.MapGet("/apis/{group}/{version}/{plural}", (HttpContext http, string group, string version, string plural) => Serve(http, group, version, plural, null, null));

        // One cluster-scoped object of a named group (an IngressClass, a GatewayClass); the literal "namespaces" of the
        // namespaced routes takes precedence over {plural}.
        app.MapGet("/apis/{group}/{version}/{plural}/{name}", (HttpContext http, string group, string version, string plural, string name) => Serve(http, group, version, plural, null, name));
        app.MapGet("/apis/{group}/{version}/namespaces/{ns}/{plural}", (HttpContext http, string group, string version, string ns, string plural) => Serve(http, group, version, plural, ns, null));
        app.MapGet("/apis/{group}/{version}/namespaces/{ns}/{plural}/{name}", (HttpContext http, string group, string version, string ns, string plural, string name) => Serve(http, group, version, plural, ns, name));
        _app = app;
        await app.StartAsync(cancellationToken);
        File.SetUnixFileMode(socketPath, Labs.PrivateFiles.FileMode);
        if (https is not null)
        {
            var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
            HttpsPort = addresses.Select(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) ? uri : null).OfType<Uri>().First(u => u.Scheme == "https" && u.Host == "127.0.0.1").Port;
        }
    }

    private static bool HasDotSegment(string rawTarget)
    {
        var path = rawTarget.Split('?', 2)[0];
        return path.Split('/').Any(segment =>
        {
            var decoded = Uri.UnescapeDataString(segment);
            return decoded is "." or "..";
        });
    }

    /// <summary>The HTTPS listener's port once started (the one chosen when <see cref="LabApiHttps.Port"/> was 0).</summary>
    public int? HttpsPort { get; private set; }

    /// <summary>
    /// Kestrel resolves "..", "%2E%2E" and "." segments before routing, so <c>/api/v1/namespaces/x/pods/%2E%2E</c>
    /// would reach the Namespace x: as the API server does, paths with dot segments are refused outright.
    /// </summary>
    private static async Task RefuseDotSegments(HttpContext http, RequestDelegate next)
    {
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget is { } raw && HasDotSegment(raw))
        {
            await Status(http, 400, "BadRequest", "a path may not contain the segments '.' or '..'");
            return;
        }

        await next(http);
    }

    /// <summary>
    /// HTTPS requests must carry a client certificate of the lab's authority (401 otherwise); the Unix socket, which
    /// only root can open, may send whole labs.
    /// </summary>
    private async Task Authenticate(HttpContext http, RequestDelegate next)
    {
        if (http.Request.IsHttps)
        {
            var certificate = await http.Connection.GetClientCertificateAsync(http.RequestAborted);
            if (https!.Credentials.Authenticate(certificate) is not { } identity)
            {
                await Status(http, 401, "Unauthorized", "Unauthorized");
                return;
            }

            http.Items[typeof(LabIdentity)] = identity;
            var (allowed, reason) = LabAuthorizer.Decide(identity, RequestAttributes.From(http.Request.Method, http.Request.Path.Value ?? "/", IsWatch(http.Request)));
            if (!allowed)
            {
                await Status(http, 403, "Forbidden", reason);
                return;
            }
        }
        else if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxSocketBodyBytes;
        }

        await next(http);
    }

    /// <summary>
    /// Every refusal is a <c>Status</c>, as clients expect: routing's own (no route 404, wrong method 405) have no
    /// body, and a body too large or not JSON surfaces as an exception from the handler that read it.
    /// </summary>
    private static async Task AnswerRefusalsWithStatus(HttpContext http, RequestDelegate next)
    {
        try
        {
            await next(http);
            if (http.Response.StatusCode >= 400 && !http.Response.HasStarted)
            {
                var code = http.Response.StatusCode;
                await Status(http, code, code == 405 ? "MethodNotAllowed" : code == 404 ? "NotFound" : "BadRequest", code == 405
                    ? $"the server does not allow this method on the requested resource ({http.Request.Method} {http.Request.Path})"
                    : $"the server could not find the requested resource ({http.Request.Path})");
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            await Status(http, e.StatusCode, e.StatusCode == 413 ? "RequestEntityTooLarge" : "BadRequest", e.Message);
        }
        catch (System.Text.Json.JsonException e) when (!http.Response.HasStarted)
        {
            await Status(http, 400, "BadRequest", $"the request body is not valid JSON: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        File.Delete(socketPath);
    }

    private async Task Serve(HttpContext http, string group, string version, string plural, string? ns, string? name)
    {
        // "namespaces/{name}" under /api/v1 is the Namespace object itself, not a namespaced list.
        if (group.Length == 0 && ns is not null && name is null && plural.Length > 0 && ApiResources.Find("", version, plural) is null)
        {
            (ns, name, plural) = (null, ns, "namespaces");
        }

        var resource = ApiResources.Find(group, version, plural);
        if (resource is null || (ns is not null && !resource.Namespaced))
        {
            await Status(http, 404, "NotFound", $"the server could not find the requested resource ({plural})");
            return;
        }

        ObjectFilter filter;
        try
        {
            filter = ObjectFilter.From(http.Request, resource, ns, name);
        }
        catch (FormatException e)
        {
            await Status(http, 400, "BadRequest", e.Message);
            return;
        }

        if (IsWatch(http.Request))
        {
            await Watch(http, resource, filter, TableResponse.IsWanted(http.Request.Headers) ? http.Request.Query["includeObject"].ToString() : null);
            return;
        }

        var view = store.Snapshot;
        if (TableResponse.IsWanted(http.Request.Headers))
        {
            // Selecting by a field other than the name needs each object written; the table then keeps the ones chosen.
            var chosen = filter.ReadsObject
                ? view.Objects(resource).Where(o => filter.Matches(o.Meta, () => view.Write(resource, o))).Select(o => o.Meta.QualifiedName).ToHashSet(StringComparer.Ordinal)
                : null;
            bool Selected(Maille.Model.ObjectMeta meta) => chosen?.Contains(meta.QualifiedName) ?? filter.Matches(meta, () => []);
            var table = TableResponse.Write(resource, view, Selected, http.Request.Query["includeObject"].ToString(), TimeProvider.System);
            if (name is not null && table["rows"]!.AsArray().Count == 0)
            {
                await Status(http, 404, "NotFound", $"{resource.Plural} \"{name}\" not found");
                return;
            }

            await Json(http, 200, table);
            return;
        }

        var items = view.Objects(resource).Select(o => (Object: o, Json: new Lazy<JsonObject>(() => view.Write(resource, o))))
            .Where(o => filter.Matches(o.Object.Meta, () => o.Json.Value)).Select(o => o.Json.Value).ToList();
        if (name is not null)
        {
            if (items.Count == 0)
            {
                await Status(http, 404, "NotFound", $"{resource.Plural} \"{name}\" not found");
                return;
            }

            await Json(http, 200, items[0]);
            return;
        }

        var list = new JsonObject
        {
            ["kind"] = resource.Kind + "List",
            ["apiVersion"] = resource.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = view.Version.ToString(CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray([.. items]),
        };
        await Json(http, 200, list);
    }

    private static bool IsWatch(HttpRequest request) => request.Query["watch"].ToString() is "true" or "1";

    private IEnumerable<ApiObject> Select(ApiResource resource, ClusterState cluster, string? ns, string? name) =>
        resource.Objects(cluster, store.Snapshot.Availability).Where(o => Selects(o.Meta, ns, name));

    private static bool Selects(Maille.Model.ObjectMeta meta, string? ns, string? name) => (ns is null || meta.Namespace == ns) && (name is null || meta.Name == name);

    /// <summary>How long a quiet watch that allows bookmarks waits before it sends one (the API server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Streams one JSON event per line, as the API server does. Without <c>resourceVersion</c> (or with 0), every
    /// current object first as ADDED; from a resource version, the changes after it, replayed from the store's recent
    /// changes, or a 410 Expired ERROR event when they are no longer kept (the client lists again). Then each change as
    /// it happens. <c>allowWatchBookmarks=true</c> adds a BOOKMARK with the current version when the watch is quiet;
    /// <c>timeoutSeconds</c> ends it. With <paramref name="tableObjects"/> (kubectl get -w asked for tables; the value
    /// of includeObject), each event's object is a Table of that object's one row.
    /// <para>
    /// A streaming list (<c>sendInitialEvents=true</c>, client-go's WatchList) gets every current object as ADDED, then
    /// a BOOKMARK annotated <c>k8s.io/initial-events-end</c>; <c>sendInitialEvents=false</c> starts at the current
    /// version with no ADDED. With a label or field selector, each change is judged by the object as it is then and
    /// as the client last had it (<see cref="WatchSelection"/>): an object that enters the selection comes as ADDED, one
    /// that leaves it as DELETED, as the API server's watch cache sends them.
    /// </para>
    /// </summary>
    private async Task Watch(HttpContext http, ApiResource resource, ObjectFilter filter, string? tableObjects)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        var query = http.Request.Query;
        var bookmarks = query["allowWatchBookmarks"].ToString() is "true" or "1";
        bool? initialEvents = query["sendInitialEvents"].ToString() switch { "true" or "1" => true, "false" or "0" => false, _ => null };
        if (initialEvents is not null && (!bookmarks || query["resourceVersionMatch"].ToString() != "NotOlderThan"))
        {
            // The API server's validation of a streaming list, in its words.
            await Status(http, 422, "Invalid", "sendInitialEvents is forbidden for watch unless allowWatchBookmarks=true and resourceVersionMatch=NotOlderThan");
            return;
        }

        var changes = store.Watch();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping);
        if (int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var timeoutSeconds) && timeoutSeconds > 0)
        {
            ended.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        }

        var cancel = ended.Token;
        try
        {
            // The headers go at once, as the API server sends them: a client (client-go, kubectl -w) waits for them
            // before it reads any event, and a watch from the current version may have none for a long time.
            await http.Response.StartAsync(cancel);
            await http.Response.Body.FlushAsync(cancel);
            var view = store.Snapshot;
            var (cluster, cursor, _) = view;
            var selection = filter.CanChangeMembership ? new WatchSelection() : null;
            var hasFrom = long.TryParse(query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var from) && from != 0;
            if (initialEvents ?? !hasFrom)
            {
                var current = view.Objects(resource).Select(o => (Type: "ADDED", o.Meta, Json: new Lazy<JsonObject>(() => view.Write(resource, o))))
                    .Where(o => filter.Matches(o.Meta, () => o.Json.Value)).Select(o => (o.Type, o.Meta, Json: o.Json.Value)).ToList();
                selection?.AddRange(current.Select(c => c.Meta.QualifiedName));
                await Events(http, resource, cluster, cluster, cursor, current, tableObjects, cancel);
                if (initialEvents == true)
                {
                    await Event(http, "BOOKMARK", Bookmark(resource, cursor, initialEventsEnd: true), cancel);
                }
            }
            else if (hasFrom && initialEvents is null)
            {
                cursor = Math.Min(from, cursor);

                // What the client has is not known for a resumed watch: taken as what the selection holds now, so an
                // object that left it before this watch started gets no DELETED (the client's relist settles it).
                selection?.AddRange(view.Objects(resource).Where(o => filter.Matches(o.Meta, () => view.Write(resource, o))).Select(o => o.Meta.QualifiedName));
            }

            // A watch never ends by itself: it ends when the client goes away, its timeout passes or the daemon stops.
            var previous = cluster;
            Task<long>? next = null;
            while (!cancel.IsCancellationRequested)
            {
                if (store.ChangesSince(resource, cursor) is not { } since)
                {
                    await Event(http, "ERROR", StatusObject(410, "Expired", $"too old resource version: {cursor} ({store.Current.Version})"), cancel);
                    return;
                }

                var inNamespace = since.Changes.Where(c => filter.Namespace is null || c.Meta.Namespace == filter.Namespace);
                var matching = selection is null
                    ? inNamespace.Where(c => filter.Matches(c.Meta, c.Object)).Select(c => (c.Type, Change: c))
                    : inNamespace.Select(c => (Type: selection.Judge(c, filter.Matches(c.Meta, c.Object)), Change: c)).Where(c => c.Type is not null).Select(c => (c.Type!, c.Change));
                var selected = matching.ToList();
                if (tableObjects is null)
                {
                    // Each change was written once, when it happened; every watcher sends that text as it is.
                    await RawEvents(http, selected, cancel);
                }
                else
                {
                    await Events(http, resource, since.Cluster, previous, since.Version, [.. selected.Select(c => (c.Item1, c.Item2.Meta, Json: c.Item2.Object()))], tableObjects, cancel);
                }

                // A client that takes bookmarks learns at once that the API published a state without a change for it:
                // a node agent reports how far it has read, and a lab answers a change once every agent has programmed
                // it. Lease renewals and events alone move the version without a bookmark (an idle agent stays idle).
                if (bookmarks && selected.Count == 0 && since.Version > cursor && store.PublishedVersion > cursor)
                {
                    await Event(http, "BOOKMARK", Bookmark(resource, since.Version, initialEventsEnd: false), cancel);
                }

                (cursor, previous) = (since.Version, since.Cluster);

                next ??= changes.ReadAsync(cancel).AsTask();
                if (!bookmarks)
                {
                    await next;
                    next = null;
                    continue;
                }

                if (await Task.WhenAny(next, Task.Delay(BookmarkInterval, cancel)) == next)
                {
                    await next;
                    next = null;
                }
                else if (!cancel.IsCancellationRequested)
                {
                    await Event(http, "BOOKMARK", Bookmark(resource, cursor, initialEventsEnd: false), cancel);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, its timeout passed, or the daemon is stopping.
        }
        finally
        {
            store.Unwatch(changes);
        }
    }

    /// <summary>
    /// A BOOKMARK's object: the kind and the version the watch has reached; the end of a streaming list's initial events
    /// says so in the annotation client-go waits for.
    /// </summary>
    private static JsonObject Bookmark(ApiResource resource, long version, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return new JsonObject { ["kind"] = resource.Kind, ["apiVersion"] = resource.ApiVersion, ["metadata"] = metadata };
    }

    /// <summary>
    /// Sends the events, each object as written or, for a table watch, as a Table of its one row: cells from
    /// <paramref name="cluster"/>, or for a deleted object from <paramref name="before"/>, the state it was last seen in.
    /// </summary>
    private async Task Events(HttpContext http, ApiResource resource, ClusterState cluster, ClusterState before, long version, List<(string Type, Maille.Model.ObjectMeta Meta, JsonObject Json)> events, string? tableObjects, CancellationToken cancel)
    {
        if (events.Count == 0)
        {
            return;
        }

        // A deleted object's row and a present one's are kept apart: a pod made again under its name is both at once.
        Dictionary<string, JsonNode>? rows = null, goneRows = null;
        if (tableObjects is not null)
        {
            static Dictionary<string, JsonNode> Written(IEnumerable<(string Type, Maille.Model.ObjectMeta Meta, JsonObject Json)> of) =>
                of.GroupBy(e => e.Meta.QualifiedName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (JsonNode)g.Last().Json, StringComparer.Ordinal);
            var present = events.Where(e => e.Type != "DELETED").ToList();
            var gone = events.Where(e => e.Type == "DELETED").ToList();

            // The cells count available pods as the lab does now (the objects are as the changes wrote them).
            // So do the RESTARTS cells count restarts.
            var snapshot = store.Snapshot;
            var (availability, restarts) = (snapshot.Availability, snapshot.Facts.Restarts);
            rows = TableRows(resource, cluster, availability, restarts, version, Written(present), present.Select(e => e.Meta.QualifiedName), tableObjects)
                .ToDictionary(r => r.Key, r => r.Table, StringComparer.Ordinal);
            goneRows = TableRows(resource, before, availability, restarts, version, Written(gone), gone.Select(e => e.Meta.QualifiedName), tableObjects)
                .ToDictionary(r => r.Key, r => r.Table, StringComparer.Ordinal);
        }

        foreach (var (type, meta, json) in events)
        {
            // A table watch has no row for an object its cells can no longer be computed for (replayed from long ago).
            if (rows is null || goneRows is null)
            {
                await Event(http, type, json, cancel);
            }
            else if ((type == "DELETED" ? goneRows : rows).TryGetValue(meta.QualifiedName, out var row))
            {
                await Event(http, type, row, cancel);
            }
        }
    }

    /// <summary>
    /// A one-row Table for each of <paramref name="keys"/> in <paramref name="cluster"/>, with the object as the watch
    /// already wrote it (<paramref name="written"/>).
    /// </summary>
    private static IEnumerable<(string Key, JsonNode Table)> TableRows(ApiResource resource, ClusterState cluster, PodAvailability? availability, IReadOnlyDictionary<string, Kube.ContainerRestarts> restarts, long version, Dictionary<string, JsonNode> written, IEnumerable<string> keys, string includeObject)
    {
        var wanted = keys.ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return [];
        }

        if (ApiResources.IsEvents(resource))
        {
            // Events are not in the plan: each row is read from the event as the watch wrote it.
            return wanted.Select(key => (key, (JsonNode)TableResponse.Table(
                TableResponse.EventColumns(),
                [TableResponse.Row(EventObjects.Cells(written[key].AsObject(), TimeProvider.System), () => written[key].AsObject(), includeObject)],
                version)));
        }

        var (columns, rows) = TableResponse.Rows(resource, cluster, m => wanted.Contains(m.QualifiedName), TimeProvider.System, availability, restarts);
        return rows.Select(r => (r.Meta.QualifiedName, (JsonNode)TableResponse.Table(
            (JsonArray)columns.DeepClone(),
            [TableResponse.Row(r.Cells, () => written[r.Meta.QualifiedName].AsObject(), includeObject)],
            version)));
    }

    private static async Task RawEvents(HttpContext http, IEnumerable<(string Type, ApiChange Change)> changes, CancellationToken cancel)
    {
        var any = false;
        foreach (var (type, change) in changes)
        {
            // Copied into the response's buffer; one flush sends every event of the change.
            http.Response.BodyWriter.Write(change.EventLine(type).Span);
            any = true;
        }

        if (any)
        {
            await http.Response.BodyWriter.FlushAsync(cancel);
        }
    }

    private static async Task Event(HttpContext http, string type, JsonNode json, CancellationToken cancel)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = json.DeepClone() }.ToJsonString(Compact) + "\n";
        await http.Response.WriteAsync(line, cancel);
        await http.Response.Body.FlushAsync(cancel);
    }

    private static Task Json(HttpContext http, int status, JsonNode json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(json.ToJsonString(Compact));
    }

    private static Task Status(HttpContext http, int code, string reason, string message) => Json(http, code, StatusObject(code, reason, message));

    private static Task Refused(HttpContext http, RequestRefusedException refused)
    {
        var status = StatusObject(refused.Code, refused.Reason, refused.Message);
        if (refused.Details is { } details)
        {
            status["details"] = details;
        }

        return Json(http, refused.Code, status);
    }

    internal static JsonObject StatusObject(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };
}
