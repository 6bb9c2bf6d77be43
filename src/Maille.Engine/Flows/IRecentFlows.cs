namespace Maille.Engine.Flows;

/// <summary>
/// Where "the flows seen lately" come from, so that a what-if can say which of them a change would cut. The lab reads
/// its nodes' conntrack tables today (<c>ConntrackRecentFlows</c>); <c>maille observe</c>'s event stream can stand
/// behind the same interface with a real time window.
/// </summary>
public interface IRecentFlows
{
    /// <summary>One sentence saying what "seen" means for this source (which window, which connections), for the output.</summary>
    string Window { get; }

    /// <summary>The flows seen, and a message per part that could not be read (the rest is still used).</summary>
    RecentFlowRead Read();
}
