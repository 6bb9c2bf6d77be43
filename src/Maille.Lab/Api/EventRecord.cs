namespace Maille.Lab.Api;

/// <summary>An event to record: about what, Normal or Warning, why, and which component (on which node) says it.</summary>
internal sealed record EventRecord(EventSubject Subject, string Type, string Reason, string Message, string Component, string? Host = null);
