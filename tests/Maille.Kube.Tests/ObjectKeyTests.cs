namespace Maille.Kube.Tests;

public sealed class ObjectKeyTests
{
    [Fact]
    public void Keys_sort_by_namespace_then_group_kind_and_name_each_ordinal_and_a_prefix_first()
    {
        ObjectKey[] expected =
        [
            new("", "Namespace", "", "a"),
            new("apps", "Deployment", "", "a"),
            new("", "Pod", "a", "web"),
            new("", "Pod", "a", "web-1"),
            new("", "Service", "a", "b"),
            new("apps", "Deployment", "a", "a"),
            new("", "Pod", "ab", "a"),
            new("", "Pod", "b", "A"),
            new("", "Pod", "b", "a"),
        ];

        var sorted = expected.Reverse().Order().ToList();

        Assert.Equal(expected, sorted);
        Assert.Equal(0, new ObjectKey("", "Pod", "a", "web").CompareTo(new ObjectKey("", "Pod", "a", "web")));
        Assert.True(new ObjectKey("", "Pod", "a", "web").CompareTo(null) > 0);
    }
}
