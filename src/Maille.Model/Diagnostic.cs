using System.Text;

namespace Maille.Model;

/// <summary>
/// One finding about the input, printed the way the Kubernetes API server words field errors:
/// <c>shop.yaml:14: Service shop/web: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range 30000-32767</c>.
/// </summary>
public sealed record Diagnostic
{
    public required FieldErrorType Type { get; init; }

    public string? File { get; init; }

    public int? Line { get; init; }

    public ObjectRef? Object { get; init; }

    public string? Field { get; init; }

    /// <summary>The offending value, already rendered (strings quoted, numbers bare), or null when there is none to show.</summary>
    public string? Value { get; init; }

    public string Detail { get; init; } = "";

    public bool IsError => Type != FieldErrorType.Warning;

    public static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    /// <param name="lineOf">The path whose line to report when it is more precise than <paramref name="field"/>: Kubernetes
    /// names a bad label only as <c>metadata.labels</c>, but the reader wants the line of that one key.</param>
    public static Diagnostic For(FieldErrorType type, ObjectRef obj, SourceLocation source, string field, string? value, string detail, string? lineOf = null) => new()
    {
        Type = type,
        File = source.File,
        Line = source.LineOf(lineOf ?? field),
        Object = obj,
        Field = field,
        Value = value,
        Detail = detail,
    };

    public override string ToString()
    {
        var text = new StringBuilder();
        if (!string.IsNullOrEmpty(File))
        {
            text.Append(File);
            if (Line is { } line)
            {
                text.Append(':').Append(line);
            }

            text.Append(": ");
        }

        if (Object is not null)
        {
            text.Append(Object).Append(": ");
        }

        if (!string.IsNullOrEmpty(Field))
        {
            text.Append(Field).Append(": ");
        }

        if (Type == FieldErrorType.Warning)
        {
            // Printed after "warning: ", so the kind of finding is already said.
            return text.Append(Detail).ToString();
        }

        text.Append(Type switch
        {
            FieldErrorType.Invalid => "Invalid value",
            FieldErrorType.Required => "Required value",
            FieldErrorType.Duplicate => "Duplicate value",
            FieldErrorType.NotSupported => "Unsupported value",
            FieldErrorType.Forbidden => "Forbidden",
            FieldErrorType.TooLong => "Too long",
            FieldErrorType.TooMany => "Too many",
            _ => "Warning",
        });
        if (Value is not null)
        {
            text.Append(": ").Append(Value);
        }

        if (Detail.Length > 0)
        {
            text.Append(": ").Append(Detail);
        }

        return text.ToString();
    }
}
