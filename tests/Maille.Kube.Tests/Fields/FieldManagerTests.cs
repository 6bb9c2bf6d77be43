using System.Text.Json.Nodes;
using k8s.Models;
using Maille.Kube.Fields;

namespace Maille.Kube.Tests.Fields;

public sealed class FieldManagerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static FieldWriter Writer(string manager, string? subresource = null, int minute = 0) => new(manager, "apps/v1", subresource, T0.AddMinutes(minute));

    private static JsonObject Deployment(int replicas, string image = "nginx") => Json("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"x"},
         "spec":{"replicas":REPLICAS,"template":{"spec":{"containers":[{"name":"web","image":"IMAGE"}]}}}}
        """.Replace("REPLICAS", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("IMAGE", image, StringComparison.Ordinal));

    [Fact]
    public void A_create_gives_its_manager_every_field_but_the_servers()
    {
        var entries = FieldManager.Update([], [], Deployment(2), typeof(V1Deployment), Writer("kubectl-client-side-apply"));

        var entry = Assert.Single(entries);
        Assert.Equal(("kubectl-client-side-apply", "Update", "apps/v1"), (entry.Manager, entry.Operation, entry.ApiVersion));
        Assert.Equal(
            """{"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{}}}}}}}""",
            entry.Fields.ToFieldsV1().ToJsonString(Relaxed));
    }

    [Fact]
    public void Applying_a_field_another_manager_set_to_another_value_conflicts_in_the_API_servers_words()
    {
        var entries = FieldManager.Update([], [], Deployment(2), typeof(V1Deployment), Writer("kubectl-client-side-apply"));

        var outcome = FieldManager.Apply(entries, Deployment(2), Deployment(5), typeof(V1Deployment), Writer("kubectl"), force: false);

        Assert.Null(outcome.Object);
        var conflict = Assert.Single(outcome.Conflicts);
        Assert.Equal(new FieldConflict("\"kubectl-client-side-apply\" using apps/v1", ".spec.replicas"), conflict);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas", FieldConflict.Message(outcome.Conflicts));
    }

    [Fact]
    public void A_forced_apply_takes_the_field_and_the_other_manager_keeps_the_rest()
    {
        var entries = FieldManager.Update([], [], Deployment(2), typeof(V1Deployment), Writer("kubectl-client-side-apply"));

        var outcome = FieldManager.Apply(entries, Deployment(2), Deployment(5), typeof(V1Deployment), Writer("kubectl", minute: 1), force: true);

        Assert.Equal(5, (int)outcome.Object!["spec"]!["replicas"]!);
        var (update, apply) = (outcome.ManagedFields.Single(e => e.Operation == "Update"), outcome.ManagedFields.Single(e => e.Operation == "Apply"));
        Assert.DoesNotContain(".spec.replicas", update.Fields.Paths.Select(FieldSet.Display));
        Assert.Contains(""".spec.template.spec.containers[name="web"].image""", update.Fields.Paths.Select(FieldSet.Display));
        Assert.Contains(".spec.replicas", apply.Fields.Paths.Select(FieldSet.Display));
        Assert.Equal(T0.AddMinutes(1), apply.Time);
    }

    [Fact]
    public void Applying_the_same_value_shares_ownership()
    {
        var entries = FieldManager.Update([], [], Deployment(2), typeof(V1Deployment), Writer("kubectl-client-side-apply"));

        var outcome = FieldManager.Apply(entries, Deployment(2), Deployment(2), typeof(V1Deployment), Writer("kubectl"), force: false);

        Assert.Empty(outcome.Conflicts);
        Assert.All(outcome.ManagedFields, e => Assert.Contains(".spec.replicas", e.Fields.Paths.Select(FieldSet.Display)));
    }

    [Fact]
    public void A_field_dropped_from_the_applied_configuration_goes_unless_another_manager_owns_it()
    {
        var applied = FieldManager.Apply([], [], Deployment(2), typeof(V1Deployment), Writer("kubectl"), force: false);
        var scaled = FieldManager.Update(applied.ManagedFields, applied.Object!, Deployment(4), typeof(V1Deployment), Writer("kubectl-scale", "scale"));
        var withoutReplicas = Deployment(4);
        withoutReplicas["spec"]!.AsObject().Remove("replicas");
        withoutReplicas["metadata"]!["labels"] = new JsonObject { ["a"] = "1" };

        var reapplied = FieldManager.Apply(scaled, Deployment(4), withoutReplicas, typeof(V1Deployment), Writer("kubectl"), force: false);
        var dropped = Deployment(4);
        dropped["spec"]!.AsObject().Remove("replicas");
        var withoutLabels = FieldManager.Apply(reapplied.ManagedFields, reapplied.Object!, dropped, typeof(V1Deployment), Writer("kubectl"), force: false);

        Assert.Equal(4, (int)reapplied.Object!["spec"]!["replicas"]!);
        Assert.Null(withoutLabels.Object!["metadata"]!["labels"]?["a"]);
        Assert.Equal(4, (int)withoutLabels.Object["spec"]!["replicas"]!);
    }

    [Fact]
    public void A_list_a_manager_once_owned_whole_stays_while_its_items_are_still_applied()
    {
        var created = FieldManager.Update([], [], Deployment(2), typeof(V1Deployment), Writer("kubectl"));
        var owned = created.Select(e => e with { Operation = "Apply" }).ToList();
        var withList = owned[0] with { Fields = owned[0].Fields.Union(FieldSet.Of([["f:spec", "f:template", "f:spec", "f:containers"]])) };

        var outcome = FieldManager.Apply([withList], Deployment(2), Deployment(2), typeof(V1Deployment), Writer("kubectl"), force: false);

        Assert.Equal("web", (string?)outcome.Object!["spec"]!["template"]!["spec"]!["containers"]![0]!["name"]);
    }

    [Fact]
    public void A_conflict_with_a_subresource_manager_names_the_subresource()
    {
        var applied = FieldManager.Apply([], [], Deployment(2), typeof(V1Deployment), Writer("kubectl"), force: false);
        var scaled = FieldManager.Update(applied.ManagedFields, applied.Object!, Deployment(4), typeof(V1Deployment), Writer("kubectl-scale", "scale"));

        var outcome = FieldManager.Apply(scaled, Deployment(4), Deployment(2), typeof(V1Deployment), Writer("kubectl"), force: false);

        Assert.Equal("\"kubectl-scale\" with subresource \"scale\" using apps/v1", Assert.Single(outcome.Conflicts).Manager);
    }

    [Fact]
    public void Entries_read_back_from_their_JSON()
    {
        var entries = FieldManager.Update([], [], Deployment(2), typeof(V1Deployment), Writer("kubectl-scale", "scale"));

        var read = FieldManager.FromJson(JsonNode.Parse(FieldManager.ToJson(entries).ToJsonString()));

        Assert.Equal<ManagedFieldsEntry>(entries, read);
        Assert.Equal("scale", (string?)FieldManager.ToJson(entries)[0]!["subresource"]);
    }

    [Fact]
    public void An_update_that_changes_nothing_keeps_the_entries_and_their_times()
    {
        var entries = FieldManager.Update([], [], Deployment(2), typeof(V1Deployment), Writer("a"));

        var again = FieldManager.Update(entries, Deployment(2), Deployment(2), typeof(V1Deployment), Writer("b", minute: 5));

        Assert.Equal<ManagedFieldsEntry>(entries, again);
    }
}
