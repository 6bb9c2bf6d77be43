namespace Maille.Engine.Gateways;

/// <summary>A status condition as the Gateway API writes it: type, True/False, reason and message.</summary>
public sealed record GatewayCondition(string Type, bool Status, string Reason, string Message)
{
    public static GatewayCondition True(string type, string reason, string message) => new(type, true, reason, message);

    public static GatewayCondition False(string type, string reason, string message) => new(type, false, reason, message);
}
