using Maille.Model;

namespace Maille.Engine.Tests;

// ObjectMeta keeps its namespace/name once made; a copy with another name or namespace must not keep it.
public sealed class ObjectMetaTests
{
    [Fact]
    public void A_copy_with_another_name_or_namespace_has_its_own_qualified_name()
    {
        var meta = new ObjectMeta { Name = "web", Namespace = "shop" };
        Assert.Equal("shop/web", meta.QualifiedName);

        Assert.Equal("shop/api", (meta with { Name = "api" }).QualifiedName);
        Assert.Equal("other/web", (meta with { Namespace = "other" }).QualifiedName);
        Assert.Equal("web", (meta with { Namespace = null }).QualifiedName);
        Assert.Equal("shop/web", (meta with { Labels = Labels.Of(("a", "b")) }).QualifiedName);
    }

    [Fact]
    public void Equality_is_by_content_whether_or_not_the_qualified_name_was_made()
    {
        var made = new ObjectMeta { Name = "web", Namespace = "shop", Labels = Labels.Of(("app", "web")) };
        _ = made.QualifiedName;
        var fresh = new ObjectMeta { Name = "web", Namespace = "shop", Labels = Labels.Of(("app", "web")) };

        Assert.Equal(made, fresh);
        Assert.Equal(made.GetHashCode(), fresh.GetHashCode());
        Assert.NotEqual(made, fresh with { Labels = Labels.Of(("app", "api")) });
        Assert.NotEqual(made, fresh with { Source = new SourceLocation("a.yaml", 3) });
        Assert.NotEqual(made, fresh with { DeletionTimestamp = DateTimeOffset.UnixEpoch });
    }
}
