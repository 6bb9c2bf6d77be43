using Maille.Lab.Agent;

namespace Maille.Lab.Tests.Agent;

/// <summary>
/// How a node agent process tells its own nftables commits from anyone else's: the generation the kernel adds one to at
/// every commit, and a fingerprint of the rules of the agent's tables.
/// </summary>
public sealed class NftDriftTrackerTests
{
    /// <summary>A namespace's ruleset as the tracker sees it: a commit moves the generation, and may change the agent's rules.</summary>
    private sealed class FakeRuleset
    {
        public uint Generation { get; private set; } = 7;

        public ulong AgentRules { get; private set; } = 100;

        public void Commit(ulong? agentRules = null)
        {
            Generation++;
            AgentRules = agentRules ?? AgentRules;
        }

        public NftDriftTracker Tracker() => new(() => Generation, () => AgentRules);
    }

    private static void Sync(NftDriftTracker tracker, FakeRuleset ruleset, Action? during = null, ulong? writes = null)
    {
        Assert.Null(tracker.BeginSync());
        during?.Invoke();
        if (writes is { } rules)
        {
            ruleset.Commit(rules);
        }

        tracker.EndSync(committed: writes is not null);
    }

    [Fact]
    public void TheAgentsOwnCommits_AreNotDrift()
    {
        var ruleset = new FakeRuleset();
        var tracker = ruleset.Tracker();
        Sync(tracker, ruleset, writes: 200);
        Sync(tracker, ruleset, writes: 300);

        Assert.Null(tracker.Check());
    }

    [Fact]
    public void AnotherToolsCommit_ThatLeavesTheAgentsRules_IsNotDrift()
    {
        var ruleset = new FakeRuleset();
        var tracker = ruleset.Tracker();
        Sync(tracker, ruleset, writes: 200);
        ruleset.Commit();

        Assert.Null(tracker.Check());
        Assert.Null(tracker.BeginSync());
        tracker.EndSync(committed: false);
    }

    [Fact]
    public void TheAgentsTableFlushedByHand_IsDrift_SeenOnce()
    {
        var ruleset = new FakeRuleset();
        var tracker = ruleset.Tracker();
        Sync(tracker, ruleset, writes: 200);
        var own = ruleset.Generation;
        ruleset.Commit(agentRules: 0);

        Assert.Equal(new NftDrift(own + 1, own), tracker.Check());
        Assert.Null(tracker.Check());
    }

    [Fact]
    public void ATableFlushedByHand_WhileASyncCommittedNothing_IsStillDrift()
    {
        // The agent was re-planning after an event that changed none of its rules when someone flushed its table: the
        // flush's generation is not the agent's, and the next check must see it.
        var ruleset = new FakeRuleset();
        var tracker = ruleset.Tracker();
        Sync(tracker, ruleset, writes: 200);
        var own = ruleset.Generation;
        Sync(tracker, ruleset, during: () => ruleset.Commit(agentRules: 0));

        Assert.Equal(new NftDrift(own + 1, own), tracker.Check());
    }

    [Fact]
    public void BeforeTheFirstCommit_NothingIsJudged()
    {
        var ruleset = new FakeRuleset();
        var tracker = ruleset.Tracker();
        ruleset.Commit(agentRules: 0);

        Assert.Null(tracker.Check());
    }

    [Fact]
    public void DriftFoundBeforeASync_IsReportedThere()
    {
        var ruleset = new FakeRuleset();
        var tracker = ruleset.Tracker();
        Sync(tracker, ruleset, writes: 200);
        ruleset.Commit(agentRules: 5);

        Assert.NotNull(tracker.BeginSync());
        ruleset.Commit(agentRules: 200);
        tracker.EndSync(committed: true);
        Assert.Null(tracker.Check());
    }

    [Fact]
    public void AnAnnouncedCommitToTheAgentsTables_IsDrift_EvenWhenItsRulesAreTheSame()
    {
        // An element of one of its sets edited by hand: the rules' fingerprint cannot see it, the announcement names the table.
        var ruleset = new FakeRuleset();
        var tracker = ruleset.Tracker();
        Sync(tracker, ruleset, writes: 200);
        var own = ruleset.Generation;
        ruleset.Commit();

        Assert.Equal(new NftDrift(own + 1, own), tracker.Announced(touchedOwnTables: true, complete: true));
        Assert.Null(tracker.Check());
    }

    [Fact]
    public void AnnouncedCommitsToOtherTablesOnly_AreNotDrift_AndAskTheKernelNothing()
    {
        var ruleset = new FakeRuleset();
        var asked = 0;
        var tracker = new NftDriftTracker(() => { asked++; return ruleset.Generation; }, () => { asked++; return ruleset.AgentRules; });
        Sync(tracker, ruleset, writes: 200);
        asked = 0;
        ruleset.Commit(agentRules: 0);

        Assert.Null(tracker.Announced(touchedOwnTables: false, complete: true));
        Assert.Equal(0, asked);
    }

    [Fact]
    public void LostAnnouncements_AreJudgedByTheGenerationAndTheRules()
    {
        var ruleset = new FakeRuleset();
        var tracker = ruleset.Tracker();
        Sync(tracker, ruleset, writes: 200);
        ruleset.Commit();
        Assert.Null(tracker.Announced(touchedOwnTables: false, complete: false));

        var own = ruleset.Generation;
        ruleset.Commit(agentRules: 0);
        Assert.Equal(new NftDrift(own + 1, own), tracker.Announced(touchedOwnTables: false, complete: false));
    }
}
