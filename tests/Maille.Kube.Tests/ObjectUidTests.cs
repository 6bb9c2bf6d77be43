namespace Maille.Kube.Tests;

public sealed class ObjectUidTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 5, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_object_always_has_the_same_uid_shaped_as_an_rfc_9562_version_8_uuid()
    {
        var uid = ObjectUid.Of("Pod", "shop", "web", Created);

        Assert.Equal(uid, ObjectUid.Of("Pod", "shop", "web", Created));
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", uid);
        Assert.True(Guid.TryParse(uid, out _));
    }

    [Theory]
    [InlineData("Service", "shop", "web", 0)]      // another kind
    [InlineData("Pod", "other", "web", 0)]         // another namespace
    [InlineData("Pod", "shop", "web2", 0)]         // another name
    [InlineData("Pod", "shop", "web", 1)]          // the same name created again a second later
    public void Another_object_or_the_same_name_created_again_has_another_uid(string kind, string ns, string name, int secondsLater)
    {
        Assert.NotEqual(ObjectUid.Of("Pod", "shop", "web", Created), ObjectUid.Of(kind, ns, name, Created.AddSeconds(secondsLater)));
    }
}
