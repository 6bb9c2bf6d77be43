namespace Maille.Lab.Api;

/// <summary>Who made a request: the user and groups its client certificate names.</summary>
public sealed record LabIdentity(string User, IReadOnlyList<string> Groups);
