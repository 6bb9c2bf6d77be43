using System.Text.RegularExpressions;

namespace Maille.Engine.Validation;

/// <summary>
/// Kubernetes' name, label and port-name rules (apimachinery's <c>validation</c> package), with its messages word for word.
/// Each check returns the problems it found; none means valid.
/// </summary>
public static partial class NameRules
{
    private const string Dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123SubdomainFormat = Dns1123LabelFormat + "(\\." + Dns1123LabelFormat + ")*";
    private const string Dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private const string QualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string LabelValueFormat = "(" + QualifiedNameFormat + ")?";
    private const string WildcardDns1123SubdomainFormat = "\\*\\." + Dns1123SubdomainFormat;

    public static IReadOnlyList<string> Dns1123Label(string value)
    {
        var problems = new List<string>();
        if (value.Length > 63)
        {
            problems.Add("must be no more than 63 characters");
        }

        if (!Dns1123LabelRegex().IsMatch(value))
        {
            problems.Add(RegexError(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                Dns1123LabelFormat, "my-name", "123-abc"));
        }

        return problems;
    }

    public static IReadOnlyList<string> Dns1123Subdomain(string value)
    {
        var problems = new List<string>();
        if (value.Length > 253)
        {
            problems.Add("must be no more than 253 characters");
        }

        if (!Dns1123SubdomainRegex().IsMatch(value))
        {
            problems.Add(RegexError(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                Dns1123SubdomainFormat, "example.com"));
        }

        return problems;
    }

    public static IReadOnlyList<string> WildcardDns1123Subdomain(string value)
    {
        var problems = new List<string>();
        if (value.Length > 253)
        {
            problems.Add("must be no more than 253 characters");
        }

        if (!WildcardDns1123SubdomainRegex().IsMatch(value))
        {
            problems.Add(RegexError(
                "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
                WildcardDns1123SubdomainFormat, "*.example.com"));
        }

        return problems;
    }

    public static IReadOnlyList<string> Dns1035Label(string value)
    {
        var problems = new List<string>();
        if (value.Length > 63)
        {
            problems.Add("must be no more than 63 characters");
        }

        if (!Dns1035LabelRegex().IsMatch(value))
        {
            problems.Add(RegexError(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
                Dns1035LabelFormat, "my-name", "abc-123"));
        }

        return problems;
    }

    /// <summary>A label key or annotation key: an optional DNS subdomain prefix and '/', then a name part.</summary>
    public static IReadOnlyList<string> QualifiedName(string value)
    {
        var problems = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                var prefix = parts[0];
                name = parts[1];
                if (prefix.Length == 0)
                {
                    problems.Add("prefix part must be non-empty");
                }
                else
                {
                    problems.AddRange(Dns1123Subdomain(prefix).Select(p => "prefix part " + p));
                }

                break;
            default:
                return [$"a qualified name {RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc")} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
        }

        if (name.Length == 0)
        {
            problems.Add("name part must be non-empty");
        }
        else if (name.Length > 63)
        {
            problems.Add("name part must be no more than 63 characters");
        }

        // apimachinery runs the regex even on an empty name part, so "example.com/" gets both messages.
        if (!QualifiedNameRegex().IsMatch(name))
        {
            problems.Add("name part " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc"));
        }

        return problems;
    }

    public static IReadOnlyList<string> LabelValue(string value)
    {
        var problems = new List<string>();
        if (value.Length > 63)
        {
            problems.Add("must be no more than 63 characters");
        }

        if (!LabelValueRegex().IsMatch(value))
        {
            problems.Add(RegexError(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                LabelValueFormat, "MyValue", "my_value", "12345"));
        }

        return problems;
    }

    /// <summary>IANA_SVC_NAME, the rule for container port names and named target ports.</summary>
    public static IReadOnlyList<string> PortName(string value)
    {
        var problems = new List<string>();
        if (value.Length > 15)
        {
            problems.Add("must be no more than 15 characters");
        }

        if (!PortNameCharsRegex().IsMatch(value))
        {
            problems.Add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }

        if (!PortNameOneLetterRegex().IsMatch(value))
        {
            problems.Add("must contain at least one letter (a-z)");
        }

        if (value.Contains("--", StringComparison.Ordinal))
        {
            problems.Add("must not contain consecutive hyphens");
        }

        if (value.Length > 0 && (value[0] == '-' || value[^1] == '-'))
        {
            problems.Add("must not begin or end with a hyphen");
        }

        return problems;
    }

    /// <summary>
    /// apimachinery's IsFullyQualifiedDomainName: a DNS subdomain (trailing dot allowed) of at least two labels. Each
    /// problem comes with the value it is about, which is the offending label when one label is at fault.
    /// </summary>
    public static IReadOnlyList<(string Value, string Problem)> FullyQualifiedDomainName(string value)
    {
        var name = value.EndsWith('.') ? value[..^1] : value;
        var problems = Dns1123Subdomain(name);
        if (problems.Count > 0)
        {
            return [.. problems.Select(p => (name, p))];
        }

        var labels = name.Split('.');
        if (labels.Length < 2)
        {
            return [(name, "should be a domain with at least two segments separated by dots")];
        }

        foreach (var label in labels)
        {
            var labelProblems = Dns1123Label(label);
            if (labelProblems.Count > 0)
            {
                return [.. labelProblems.Select(p => (label, p))];
            }
        }

        return [];
    }

    /// <summary>apimachinery's IsValidPathSegmentName: a name that can stand as one segment of a URL path.</summary>
    public static IReadOnlyList<string> PathSegmentName(string value)
    {
        if (value is "." or "..")
        {
            return [$"may not be '{value}'"];
        }

        return [.. new[] { "/", "%" }.Where(c => value.Contains(c, StringComparison.Ordinal)).Select(c => $"may not contain '{c}'")];
    }

    public const string PortRangeMessage = "must be between 1 and 65535, inclusive";

    public static bool IsValidPortNumber(int port) => port is >= 1 and <= 65535;

    private const string QualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    /// <summary>apimachinery's RegexError, double space after each example comma included.</summary>
    private static string RegexError(string message, string format, params string[] examples)
    {
        if (examples.Length == 0)
        {
            return $"{message} (regex used for validation is '{format}')";
        }

        var text = message + " (e.g. ";
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0)
            {
                text += " or ";
            }

            text += $"'{examples[i]}', ";
        }

        return text + $"regex used for validation is '{format}')";
    }

    [GeneratedRegex("^" + Dns1123LabelFormat + "$")]
    private static partial Regex Dns1123LabelRegex();

    [GeneratedRegex("^" + Dns1123SubdomainFormat + "$")]
    private static partial Regex Dns1123SubdomainRegex();

    [GeneratedRegex("^" + WildcardDns1123SubdomainFormat + "$")]
    private static partial Regex WildcardDns1123SubdomainRegex();

    [GeneratedRegex("^" + Dns1035LabelFormat + "$")]
    private static partial Regex Dns1035LabelRegex();

    [GeneratedRegex("^" + QualifiedNameFormat + "$")]
    private static partial Regex QualifiedNameRegex();

    [GeneratedRegex("^" + LabelValueFormat + "$")]
    private static partial Regex LabelValueRegex();

    [GeneratedRegex("^[-a-z0-9]+$")]
    private static partial Regex PortNameCharsRegex();

    [GeneratedRegex("[a-z]")]
    private static partial Regex PortNameOneLetterRegex();
}
