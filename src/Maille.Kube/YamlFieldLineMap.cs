using Maille.Model;
using YamlDotNet.RepresentationModel;

namespace Maille.Kube;

/// <summary>Finds the line of a field path such as <c>spec.ports[0].nodePort</c> in one object's YAML node.</summary>
internal sealed class YamlFieldLineMap(YamlNode root) : IFieldLineMap
{
    public int? LineOf(string fieldPath)
    {
        var node = root;
        var line = (int)root.Start.Line;
        foreach (var step in Steps(fieldPath))
        {
            YamlNode? next = null;
            if (step.Index is { } index)
            {
                if (node is YamlSequenceNode sequence && index < sequence.Children.Count)
                {
                    next = sequence.Children[index];
                }
            }
            else if (node is YamlMappingNode mapping)
            {
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode scalar && scalar.Value == step.Key)
                    {
                        next = value;
                        line = (int)key.Start.Line;
                        break;
                    }
                }
            }

            if (next is null)
            {
                return line;
            }

            node = next;
            if (step.Index is not null || next is YamlScalarNode)
            {
                line = (int)next.Start.Line;
            }
        }

        return line;
    }

    /// <summary>Splits <c>spec.ports[0].name</c> or <c>metadata.labels[app.kubernetes.io/name]</c> into steps.</summary>
    private static List<(string? Key, int? Index)> Steps(string path)
    {
        var steps = new List<(string? Key, int? Index)>();
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                close = close < 0 ? path.Length : close;
                var inner = path[(i + 1)..close];
                steps.Add(int.TryParse(inner, System.Globalization.CultureInfo.InvariantCulture, out var index) ? (null, index) : (inner, null));
                i = close + 1;
            }
            else
            {
                var end = path.IndexOfAny(['.', '['], i);
                end = end < 0 ? path.Length : end;
                steps.Add((path[i..end], null));
                i = end;
            }
        }

        return steps;
    }
}
