using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// Something an Ingress does that the written Gateway API objects do not do alike: where (the Ingress's file, the
/// Ingress, the field) and what differs.
/// </summary>
public sealed record IngressConversionWarning(SourceLocation Source, string Ingress, string Field, string Message)
{
    /// <summary><c>warning: FILE:LINE: Ingress NS/NAME: FIELD: MESSAGE</c>, as the other commands print diagnostics.</summary>
    public override string ToString()
    {
        var line = Source.LineOf(Field);
        var where = Source.File.Length == 0 ? "" : line is null ? $"{Source.File}: " : $"{Source.File}:{line}: ";
        return $"warning: {where}Ingress {Ingress}: {Field}: {Message}";
    }
}
