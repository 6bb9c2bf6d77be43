using Maille.Kube;
using Maille.Kube.Schema;
using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Api;

/// <summary>
/// The query parameters every write takes, as the API server reads them: <c>dryRun=All</c> (plan and answer, keep
/// nothing), <c>fieldValidation</c> (<c>Ignore</c>, <c>Warn</c>, the default, or <c>Strict</c>) and
/// <c>fieldManager</c> (the manager of the fields a write sets: read where managed fields are computed).
/// </summary>
internal sealed record WriteOptions(bool DryRun, string FieldValidation)
{
    /// <summary>The options of <paramref name="http"/>'s request, or null after answering 400 when one is not valid.</summary>
    public static async Task<WriteOptions?> ReadAsync(HttpContext http)
    {
        var query = http.Request.Query;
        var dryRun = query["dryRun"].ToArray();
        if (dryRun.Any(v => v != "All"))
        {
            await Refuse(http, $"Invalid dry run value: {string.Join(", ", dryRun.Where(v => v != "All"))}: the only value is All");
            return null;
        }

        var validation = query["fieldValidation"].FirstOrDefault() is { Length: > 0 } given ? given : "Warn";
        if (validation is not ("Ignore" or "Warn" or "Strict"))
        {
            await Refuse(http, $"fieldValidation: Invalid value: \"{validation}\": must be one of Ignore, Warn, or Strict");
            return null;
        }

        return new WriteOptions(dryRun.Length > 0, validation);
    }

    /// <summary>
    /// Judges the fields of a written object that its kind does not have: refused under Strict (the API server's
    /// strict decoding error), a <c>Warning</c> header each under Warn (kubectl prints them), nothing under Ignore.
    /// </summary>
    /// <exception cref="RequestRefusedException">Strict, and some field is unknown.</exception>
    public void Judge(HttpContext http, KindName kind, IReadOnlyList<string> unknown)
    {
        if (unknown.Count == 0 || FieldValidation == "Ignore")
        {
            return;
        }

        if (FieldValidation == "Strict")
        {
            throw new RequestRefusedException(400, "BadRequest", UnknownFields.StrictMessage(kind.Kind, kind.Version, unknown));
        }

        foreach (var field in unknown)
        {
            http.Response.Headers.Append("Warning", $"299 - \"unknown field \\\"{field}\\\"\"");
        }
    }

    private static Task Refuse(HttpContext http, string message)
    {
        http.Response.StatusCode = 400;
        return http.Response.WriteAsJsonAsync(LabApiServer.StatusObject(400, "BadRequest", message));
    }
}
