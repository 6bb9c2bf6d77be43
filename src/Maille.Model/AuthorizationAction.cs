namespace Maille.Model;

/// <summary>An AuthorizationPolicy's action; CUSTOM and AUDIT are refused by validation.</summary>
public enum AuthorizationAction
{
    Allow,
    Deny,
}
