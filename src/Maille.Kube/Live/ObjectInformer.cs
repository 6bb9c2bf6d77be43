using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Maille.Kube.Live;

/// <summary>
/// A cache of one resource kept in step with the API server, as client-go's reflector keeps an informer's: list, then
/// watch from the list's resource version (with bookmarks, so a quiet watch still advances it); a watch that ends is
/// resumed from the last version seen; <c>410 Gone</c> (the version is too old) makes it list again, and the
/// difference between the cache and the new list is reported as ordinary changes; any other failure is retried after
/// a backoff (exponential with jitter, capped), from the last version. The cache is never emptied by a failure: while
/// the API is unreachable, consumers keep what they had (a node agent keeps its rules). Goes through KubernetesClient
/// (<paramref name="list"/> and <paramref name="watch"/> are its generated calls, whose HTTP pipeline carries the
/// credentials).
/// </summary>
/// <param name="list">The list call (the current state).</param>
/// <param name="watch">The watch call from a resource version, with bookmarks; its error callback gets a 410 Status as a <see cref="KubernetesException"/>.</param>
/// <param name="onChange">Called on the informer's loop for each change, in order; it must not block for long.</param>
/// <param name="onVersion">
/// Called on the informer's loop after <see cref="ResourceVersion"/> moved (a list, an event, a bookmark), after the
/// change's <paramref name="onChange"/>: a node agent reports how far it has read with it.
/// </param>
public sealed class ObjectInformer<T, TList>(
    string resource,
    Func<CancellationToken, Task<TList>> list,
    Func<string?, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
    Action<InformerChange<T>> onChange,
    InformerOptions? options = null,
    Action? onVersion = null) : IObjectInformer
    where T : IKubernetesObject<V1ObjectMeta>
    where TList : IKubernetesObject<V1ListMeta>, IItems<T>
{
    private readonly InformerOptions _options = options ?? new InformerOptions();
    private readonly Dictionary<string, (string? Version, T? Item)> _cache = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private string? _resourceVersion;

    /// <inheritdoc/>
    public string Resource => resource;

    /// <inheritdoc/>
    public Task Synced => _synced.Task;

    /// <inheritdoc/>
    public int Lists { get; private set; }

    /// <inheritdoc/>
    public int Failures { get; private set; }

    /// <inheritdoc/>
    public string? LastError { get; private set; }

    /// <inheritdoc/>
    public string? ResourceVersion => _resourceVersion;

    /// <summary>The cached objects by key (<c>namespace/name</c>, or the name of a cluster-scoped object), copied.</summary>
    public IReadOnlyDictionary<string, T> Snapshot()
    {
        lock (_gate)
        {
            return _options.KeepObjects
                ? _cache.ToDictionary(c => c.Key, c => c.Value.Item!, StringComparer.Ordinal)
                : throw new InvalidOperationException($"the informer of {resource} keeps versions only (InformerOptions.KeepObjects)");
        }
    }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    private (string? Version, T? Item) Entry(T item) => (item.Metadata.ResourceVersion, _options.KeepObjects ? item : default);

    public static string KeyOf(T item) => item.Metadata.NamespaceProperty is { Length: > 0 } ns ? $"{ns}/{item.Metadata.Name}" : item.Metadata.Name;

    private async Task RunAsync(CancellationToken cancel)
    {
        var failures = 0;
        var mustList = true;
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                if (mustList)
                {
                    await ListAsync(cancel);
                    mustList = false;
                }

                mustList = await WatchAsync(cancel);
                failures = 0;
                LastError = null;
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or KubernetesException or TimeoutException or OperationCanceledException)
            {
                if (e is HttpOperationException { Response.StatusCode: HttpStatusCode.Gone } || e is KubernetesException { Status.Code: 410 })
                {
                    mustList = true;
                    continue;
                }

                Failures++;
                LastError = e.Message;
                failures++;
                await Task.Delay(_options.Backoff(failures), _options.Time, cancel).ConfigureAwait(false);
            }
        }
    }

    private async Task ListAsync(CancellationToken cancel)
    {
        var listed = await list(cancel);
        Lists++;
        var fresh = (listed.Items ?? []).ToDictionary(KeyOf, StringComparer.Ordinal);
        List<InformerChange<T>> changes = [];
        lock (_gate)
        {
            foreach (var (key, old) in _cache.Where(c => !fresh.ContainsKey(c.Key)).ToList())
            {
                _cache.Remove(key);
                changes.Add(new InformerChange<T>(InformerChangeType.Deleted, key, old.Item!));
            }

            foreach (var (key, item) in fresh)
            {
                var known = _cache.TryGetValue(key, out var old);
                if (!known || old.Version != item.Metadata.ResourceVersion)
                {
                    _cache[key] = Entry(item);
                    changes.Add(new InformerChange<T>(known ? InformerChangeType.Modified : InformerChangeType.Added, key, item));
                }
            }

            _resourceVersion = listed.Metadata?.ResourceVersion;
        }

        foreach (var change in changes)
        {
            onChange(change);
        }

        _synced.TrySetResult();
        onVersion?.Invoke();
    }

    /// <returns>Whether the informer must list again (the watch said 410 Gone).</returns>
    private async Task<bool> WatchAsync(CancellationToken cancel)
    {
        KubernetesException? gone = null;
        await foreach (var (type, item) in watch(_resourceVersion, e => gone ??= e as KubernetesException is { Status.Code: 410 } k ? k : null, cancel))
        {
            if (type == WatchEventType.Error || item?.Metadata is null)
            {
                continue;
            }

            InformerChange<T>? change = null;
            var key = KeyOf(item);
            lock (_gate)
            {
                switch (type)
                {
                    case WatchEventType.Added or WatchEventType.Modified:
                        var known = _cache.ContainsKey(key);
                        _cache[key] = Entry(item);
                        change = new InformerChange<T>(known ? InformerChangeType.Modified : InformerChangeType.Added, key, item);
                        break;
                    case WatchEventType.Deleted:
                        change = _cache.Remove(key, out var old) ? new InformerChange<T>(InformerChangeType.Deleted, key, old.Item ?? item) : null;
                        break;
                }

                _resourceVersion = item.Metadata.ResourceVersion ?? _resourceVersion;
            }

            if (change is not null)
            {
                onChange(change);
            }

            onVersion?.Invoke();
        }

        return gone is not null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        _stop.Dispose();
    }
}
