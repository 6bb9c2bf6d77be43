namespace Maille.Model;

/// <summary>
/// Answers "on which line of the source file is this field?" for one object, so validation in
/// the engine can point at a line without knowing anything about YAML.
/// </summary>
public interface IFieldLineMap
{
    /// <summary>The line of <paramref name="fieldPath"/> (e.g. <c>spec.ports[0].nodePort</c>), or of its nearest
    /// ancestor present in the file; null when unknown.</summary>
    int? LineOf(string fieldPath);
}
