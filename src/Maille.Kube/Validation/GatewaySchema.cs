using System.Globalization;
using System.Text.RegularExpressions;
using Maille.Engine.Validation;

namespace Maille.Kube.Validation;

/// <summary>
/// The OpenAPI checks of the Gateway API CRDs (maxItems, maxLength, minimum/maximum, enum, pattern), worded as the API
/// server words a CRD's schema errors, and the patterns the CRDs share.
/// </summary>
internal static partial class GatewaySchema
{
    public const string HostnamePattern = @"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    public const string HeaderNamePattern = @"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$";

    public const string SectionNamePattern = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    public const string DurationPattern = @"^([0-9]{1,5}(h|m|s|ms)){1,4}$";

    public const string KindPattern = @"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$";

    public const string GroupPattern = @"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    public static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"];

    public static void MaxItems<T>(FieldErrors errors, string field, IReadOnlyCollection<T>? items, int max)
    {
        if (items is not null && items.Count > max)
        {
            errors.TooMany(field, items.Count, max);
        }
    }

    public static void MaxLength(FieldErrors errors, string field, string? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            errors.TooLong(field, $"may not be more than {max.ToString(CultureInfo.InvariantCulture)} bytes");
        }
    }

    public static void Range(FieldErrors errors, string field, int? value, int min, int max)
    {
        if (value is { } v && v < min)
        {
            errors.Invalid(field, v, $"{field} in body should be greater than or equal to {min.ToString(CultureInfo.InvariantCulture)}");
        }
        else if (value is { } w && w > max)
        {
            errors.Invalid(field, w, $"{field} in body should be less than or equal to {max.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>An enum field; the supported values in the CRD's order.</summary>
    public static void Enum(FieldErrors errors, string field, string? value, IReadOnlyList<string> supported)
    {
        if (value is not null && !supported.Contains(value, StringComparer.Ordinal))
        {
            errors.NotSupported(field, value, supported);
        }
    }

    public static void Pattern(FieldErrors errors, string field, string? value, string pattern)
    {
        if (value is not null && !Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            errors.Invalid(field, value, $"{field} in body should match '{pattern}'");
        }
    }

    /// <summary>A required string of a CRD (minLength 1): absent or empty.</summary>
    public static bool Required(FieldErrors errors, string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Required(field);
            return false;
        }

        return true;
    }

    /// <summary>A CEL rule that failed on a list or object: the API server prints the value as its type.</summary>
    public static void Rule(FieldErrors errors, string field, string type, string message) => errors.Invalid(field, type, message);

    /// <summary>A route's hostname (route hostnames, listener hostnames, redirect and rewrite hostnames).</summary>
    public static void Hostname(FieldErrors errors, string field, string? value)
    {
        MaxLength(errors, field, value, 253);
        Pattern(errors, field, value, HostnamePattern);
    }
}
