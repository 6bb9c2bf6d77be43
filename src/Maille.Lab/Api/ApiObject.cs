using Maille.Model;

namespace Maille.Lab.Api;

/// <summary>
/// One object a kind serves: its metadata, the model value it is written from (equal values are the same object
/// unchanged: <see cref="ObjectVersions"/>), and how to write it as a Kubernetes object (only when a request needs it).
/// </summary>
public sealed record ApiObject(ObjectMeta Meta, object Model, Func<object> Write);
