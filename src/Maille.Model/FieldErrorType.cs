namespace Maille.Model;

/// <summary>The error kinds of Kubernetes' field validation, each with the phrase the API server prints.</summary>
public enum FieldErrorType
{
    Invalid,
    Required,
    Duplicate,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
    Warning,
}
