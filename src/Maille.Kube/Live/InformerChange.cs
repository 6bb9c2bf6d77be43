namespace Maille.Kube.Live;

/// <summary>
/// One change an <see cref="ObjectInformer{T, TList}"/> applied to its cache: the object as it now is (added or
/// modified), or as it was last seen (deleted). A relist reports the difference between the cache and the new list
/// the same way, so a consumer sees one kind of change whatever happened on the wire.
/// </summary>
public sealed record InformerChange<T>(InformerChangeType Type, string Key, T Object);
