namespace Maille.Engine.Validation;

/// <summary>
/// A bad value that the API server prints with Go's <c>%#v</c> because it is a struct, map or slice rather than a
/// string or number (<c>map[string]string{"app":"web"}</c>). Printed as it is, unquoted, so that Maille's message is
/// the one <c>kubectl apply</c> would show.
/// </summary>
public sealed record GoLiteral(string Text)
{
    /// <summary>A <c>map[string]string</c> as <c>%#v</c> prints it: keys sorted, <c>(nil)</c> when absent.</summary>
    public static GoLiteral Map(IEnumerable<KeyValuePair<string, string>>? entries)
    {
        if (entries is null)
        {
            return new("map[string]string(nil)");
        }

        var pairs = entries.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{Model.Diagnostic.Quote(e.Key)}:{Model.Diagnostic.Quote(e.Value ?? "")}");
        return new("map[string]string{" + string.Join(", ", pairs) + "}");
    }

    /// <summary>A slice of <paramref name="goType"/> as <c>%#v</c> prints one that is absent or empty.</summary>
    public static GoLiteral EmptySlice(string goType, bool isNil) => new(isNil ? $"[]{goType}(nil)" : $"[]{goType}{{}}");

    public override string ToString() => Text;
}
