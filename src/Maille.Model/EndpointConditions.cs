namespace Maille.Model;

/// <summary>The three EndpointSlice conditions: ready = serving and not terminating (or forced by publishNotReadyAddresses).</summary>
public sealed record EndpointConditions(bool Ready, bool Serving, bool Terminating);
