namespace Maille.Lab.Agent;

/// <summary>
/// Tells a node agent's own nftables commits from anyone else's. The agent notes the ruleset generation and the
/// fingerprint of its tables' rules after each sync that committed; a later generation with other rules is drift (a
/// table flushed or a rule deleted by hand), a later generation with the same rules is only someone else's commit (a
/// table of another tool). Syncs and checks are serialized by one gate, so a commit of the agent's is never judged
/// while it is being made.
/// </summary>
/// <remarks>
/// A sync that committed nothing notes nothing: a generation that moved while it ran was someone else's, and is judged
/// by the next check. Noting it as the agent's would take a table flushed by hand during a no-op sync for the agent's own
/// state, and leave it flushed until the next periodic full sync.
/// </remarks>
internal sealed class NftDriftTracker(Func<uint> currentGeneration, Func<ulong> ownRulesFingerprint)
{
    private readonly Lock _gate = new();
    private long _ownGeneration = -1;
    private ulong _ownRules;

    /// <summary>Enters the gate before a sync and looks for drift; <see cref="EndSync"/> must follow, on the same thread.</summary>
    public NftDrift? BeginSync()
    {
        _gate.Enter();
        return Judge();
    }

    /// <summary>After a sync: when it <paramref name="committed"/>, what the kernel holds now is the agent's own.</summary>
    public void EndSync(bool committed)
    {
        try
        {
            if (committed)
            {
                _ownGeneration = currentGeneration();
                _ownRules = ownRulesFingerprint();
            }
        }
        catch (IOException)
        {
            // Unread: nothing is known to be the agent's until its next commit, so nothing is judged until then.
            _ownGeneration = -1;
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Looks for drift between syncs.</summary>
    public NftDrift? Check()
    {
        lock (_gate)
        {
            return Judge();
        }
    }

    /// <summary>
    /// Looks for drift after the kernel announced commits of someone else's (the agent hears none of its own): one that
    /// <paramref name="touchedOwnTables"/> is drift, its set elements included, which the rules' fingerprint does not
    /// see; all of them announced (<paramref name="complete"/>) and none touching the agent's tables is not, and costs no
    /// question to the kernel. Announcements lost: judged as <see cref="Check()"/> judges.
    /// </summary>
    public NftDrift? Announced(bool touchedOwnTables, bool complete)
    {
        if (complete && !touchedOwnTables)
        {
            return null;
        }

        lock (_gate)
        {
            if (!touchedOwnTables || _ownGeneration < 0)
            {
                return Judge();
            }

            try
            {
                var previous = _ownGeneration;
                _ownGeneration = currentGeneration();
                return new NftDrift((uint)_ownGeneration, previous);
            }
            catch (IOException)
            {
                return new NftDrift(0, _ownGeneration);
            }
        }
    }

    /// <summary>
    /// The generation moved: noted as seen either way (after drift, the full rewrite that follows is the repair, and a
    /// second look must not count it twice); drift only when the agent's rules are not what its last commit left.
    /// </summary>
    private NftDrift? Judge()
    {
        try
        {
            if (_ownGeneration < 0 || currentGeneration() is var current && current == _ownGeneration)
            {
                return null;
            }

            var previous = _ownGeneration;
            _ownGeneration = current;
            return ownRulesFingerprint() == _ownRules ? null : new NftDrift(current, previous);
        }
        catch (IOException)
        {
            // The kernel did not answer this time; the next check asks again.
            return null;
        }
    }
}
