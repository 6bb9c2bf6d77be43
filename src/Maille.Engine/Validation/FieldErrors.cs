using System.Globalization;
using Maille.Model;

namespace Maille.Engine.Validation;

/// <summary>
/// Collects field errors for one object, worded as the Kubernetes API server words them, so that every error of
/// the whole input can be reported at once.
/// </summary>
public sealed class FieldErrors(ObjectRef obj, SourceLocation source, List<Diagnostic> sink)
{
    public ObjectRef Object => obj;

    public SourceLocation Source => source;

    /// <summary>How many errors and warnings this object has had so far: a check compares it before and after itself.</summary>
    public int Count { get; private set; }

    public void Invalid(string field, object? value, string detail) => Add(FieldErrorType.Invalid, field, Render(value), detail);

    /// <summary>An invalid value reported on <paramref name="field"/> but located at the more precise <paramref name="lineOf"/>.</summary>
    public void InvalidAt(string field, string lineOf, object? value, string detail)
    {
        sink.Add(Diagnostic.For(FieldErrorType.Invalid, obj, source, field, Render(value), detail, lineOf));
        Count++;
    }

    public void Required(string field, string detail = "") => Add(FieldErrorType.Required, field, null, detail);

    public void Duplicate(string field, object value, string detail = "") => Add(FieldErrorType.Duplicate, field, Render(value), detail);

    public void Forbidden(string field, string detail) => Add(FieldErrorType.Forbidden, field, null, detail);

    public void TooLong(string field, string detail) => Add(FieldErrorType.TooLong, field, null, detail);

    /// <summary>
    /// The supported values are listed in the order given: Kubernetes sorts most lists (<c>sets.List</c>) but not all
    /// (NetworkPolicy says "TCP", "UDP", "SCTP"), so each caller passes the API server's own order.
    /// </summary>
    public void NotSupported(string field, object? value, IEnumerable<string> supported) =>
        Add(FieldErrorType.NotSupported, field, Render(value), "supported values: " + string.Join(", ", supported.Select(Diagnostic.Quote)));

    /// <summary>A list longer than its schema's <c>maxItems</c>: <c>Too many: 65: must have at most 64 items</c>.</summary>
    public void TooMany(string field, int actual, int max) =>
        Add(FieldErrorType.TooMany, field, actual.ToString(CultureInfo.InvariantCulture), $"must have at most {max.ToString(CultureInfo.InvariantCulture)} items");

    public void Warning(string field, string detail) => Add(FieldErrorType.Warning, field, null, detail);

    public static string? Render(object? value) => value switch
    {
        null => "null",
        string text => Diagnostic.Quote(text),
        int number => number.ToString(CultureInfo.InvariantCulture),
        long number => number.ToString(CultureInfo.InvariantCulture),
        GoLiteral literal => literal.Text,
        PortRef port => port.IsNamed ? Diagnostic.Quote(port.Name!) : port.Number!.Value.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private void Add(FieldErrorType type, string field, string? value, string detail)
    {
        sink.Add(Diagnostic.For(type, obj, source, field, value, detail));
        Count++;
    }
}
