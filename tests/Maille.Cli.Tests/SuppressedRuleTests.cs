using System.Text.RegularExpressions;
using Maille.TestKit;

namespace Maille.Cli.Tests;

// Directory.Build.props turns some analyzer rules off and says why in the comment above the list. The comment and the
// list drifted once (it named rules that were on again), so the build's tests keep them in step both ways.
public sealed partial class SuppressedRuleTests
{
    [Fact]
    public void Every_suppressed_rule_has_its_reason_and_the_reasons_name_only_suppressed_rules()
    {
        var props = File.ReadAllText(Path.Combine(Cluster.RepositoryRoot, "Directory.Build.props"));
        var list = NoWarn().Match(props).Groups[1].Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(rule => rule != "$(NoWarn)").ToHashSet(StringComparer.Ordinal);
        var comment = props[..props.IndexOf("<NoWarn>", StringComparison.Ordinal)];
        comment = comment[comment.LastIndexOf("<!--", StringComparison.Ordinal)..];
        var named = RuleId().Matches(comment).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(list);
        Assert.Equal([], list.Except(named).Order(StringComparer.Ordinal));
        Assert.Equal([], named.Except(list).Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"<NoWarn>([^<]*)</NoWarn>")]
    private static partial Regex NoWarn();

    [GeneratedRegex(@"\b(?:CA|IDE|NU|CS)[0-9]{4}\b")]
    private static partial Regex RuleId();
}
