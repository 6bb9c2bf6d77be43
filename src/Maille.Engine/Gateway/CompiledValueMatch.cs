using System.Text.RegularExpressions;

namespace Maille.Engine.Gateways;

/// <summary>A header or query-parameter match, its regular expression compiled once.</summary>
internal sealed record CompiledValueMatch(string Name, string Value, Regex? Regex)
{
    public bool Matches(string? actual) => actual is not null && (Regex is null ? actual == Value : Regex.IsMatch(actual));
}
