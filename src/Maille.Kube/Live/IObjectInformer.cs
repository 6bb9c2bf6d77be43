namespace Maille.Kube.Live;

/// <summary>An informer of any kind, as its owner watches over it: how far it has read and how it fares.</summary>
public interface IObjectInformer : IAsyncDisposable
{
    /// <summary>The resource's name, for messages (<c>services</c>).</summary>
    string Resource { get; }

    /// <summary>Completes when the first list has filled the cache.</summary>
    Task Synced { get; }

    /// <summary>How many times the informer listed (the first time included): a relist follows a 410.</summary>
    int Lists { get; }

    /// <summary>How many list or watch calls failed (and were retried after a backoff).</summary>
    int Failures { get; }

    /// <summary>The last failure, for a status report; null once a call succeeds again.</summary>
    string? LastError { get; }

    /// <summary>The version the cache is at.</summary>
    string? ResourceVersion { get; }
}
