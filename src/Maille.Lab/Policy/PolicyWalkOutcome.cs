namespace Maille.Lab.Policy;

/// <summary>What the walk of a node's table did with one direction (egress of the source, ingress of the destination).</summary>
public enum PolicyWalkOutcome
{
    /// <summary>No policy isolates the pod in this direction: no chain is entered, everything passes.</summary>
    NotIsolated,

    /// <summary>The direction's chain was entered and one of its rules let the packet go on.</summary>
    Allowed,

    /// <summary>The direction's chain was entered and ended the packet (no rule allowed it).</summary>
    Denied,

    /// <summary>The packet was ended before this direction was decided (the source's egress denied it first).</summary>
    NotReached,

    /// <summary>The plan isolates the pod in this direction, yet the walk passed without entering a chain for it.</summary>
    NotEntered,
}
