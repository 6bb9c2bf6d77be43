using System.Text.Json.Nodes;
using Maille.Kube.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Api;

public sealed partial class LabApiServer
{
    /// <summary>The group <c>kubectl auth can-i</c> asks, listed in discovery with its one resource.</summary>
    public const string AuthorizationGroup = "authorization.k8s.io";

    /// <summary>
    /// <c>SelfSubjectAccessReview</c> (<c>kubectl auth can-i</c>): whether the caller may do what it asks, decided by
    /// the same <see cref="LabAuthorizer"/> that judges every request.
    /// </summary>
    private void MapAccessReviews(WebApplication app) =>
        app.MapPost($"/apis/{AuthorizationGroup}/v1/selfsubjectaccessreviews", async (HttpContext http) =>
        {
            // kubectl sends this review as Kubernetes protobuf (and has no fallback to JSON); other clients send JSON.
            JsonObject? review;
            try
            {
                var body = await Bytes(http);
                review = KubeProtobuf.Is(http.Request.ContentType) ? KubeProtobuf.Read(body) : JsonNode.Parse(body) as JsonObject;
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or FormatException)
            {
                await Status(http, 400, "BadRequest", $"the review cannot be read: {e.Message}");
                return;
            }

            if (review?["spec"] is not JsonObject spec || (spec["resourceAttributes"] is null && spec["nonResourceAttributes"] is null))
            {
                await Status(http, 422, "Invalid", "SelfSubjectAccessReview.authorization.k8s.io is invalid: spec: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified");
                return;
            }

            // Over the Unix socket the caller is root (the socket is 0600); over HTTPS, its certificate's identity.
            var identity = http.Items.TryGetValue(typeof(LabIdentity), out var item) ? (LabIdentity?)item : null;
            var (allowed, reason) = LabAuthorizer.Decide(identity, Asked(spec));
            review["apiVersion"] = $"{AuthorizationGroup}/v1";
            review["kind"] = "SelfSubjectAccessReview";
            review["status"] = new JsonObject { ["allowed"] = allowed, ["reason"] = reason };
            await Json(http, 201, review);
        });

    /// <summary>The request a review asks about, in the terms the authorizer decides on.</summary>
    private static RequestAttributes Asked(JsonObject spec)
    {
        string? Read(string section, string field) => spec[section]?[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
        if (spec["resourceAttributes"] is null)
        {
            return new RequestAttributes(Read("nonResourceAttributes", "verb") ?? "get", "", "", null, null, null, Read("nonResourceAttributes", "path") ?? "/");
        }

        const string Section = "resourceAttributes";
        var resource = Read(Section, "resource") ?? "";
        return new RequestAttributes(Read(Section, "verb") ?? "get", Read(Section, "group") ?? "", resource, Read(Section, "subresource"), Read(Section, "namespace"), Read(Section, "name"), null);
    }
}
