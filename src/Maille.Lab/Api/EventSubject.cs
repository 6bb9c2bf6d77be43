namespace Maille.Lab.Api;

/// <summary>The object an event is about (its <c>involvedObject</c>); <paramref name="FieldPath"/> names a container in it.</summary>
internal sealed record EventSubject(string ApiVersion, string Kind, string? Namespace, string Name, string Uid, string? FieldPath = null);
