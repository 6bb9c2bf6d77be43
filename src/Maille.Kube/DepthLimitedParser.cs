using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Maille.Kube;

/// <summary>
/// YamlDotNet's parser, refusing nesting deeper than a Kubernetes object ever has. <see cref="YamlDotNet.RepresentationModel.YamlStream"/>
/// builds its tree recursively, so a body of <c>[[[[…</c> a few hundred kilobytes long would overflow the stack of the
/// process reading it (a stack overflow cannot be caught: the lab's daemon died of one). Counting here, as the events
/// are read, stops it at the limit in the same single pass, at no cost to ordinary input. Every YAML text Maille
/// loads goes through it: <c>new YamlStream().Load(new DepthLimitedParser(text))</c>.
/// </summary>
public sealed class DepthLimitedParser(string text, int maxDepth = DepthLimitedParser.MaxDepth) : IParser
{
    /// <summary>Deeper than any built-in kind's schema (a Pod's deepest fields are about 15 levels down).</summary>
    public const int MaxDepth = 100;

    private readonly Parser _inner = new(new StringReader(text));
    private int _depth;

    public ParsingEvent? Current => _inner.Current;

    /// <exception cref="YamlException">Not YAML, or nested deeper than the limit (at the line where it goes over).</exception>
    public bool MoveNext()
    {
        if (!_inner.MoveNext())
        {
            return false;
        }

        switch (_inner.Current)
        {
            case SequenceStart or MappingStart when ++_depth > maxDepth:
                throw new YamlException(_inner.Current.Start, _inner.Current.End, $"nested deeper than {maxDepth} levels");
            case SequenceEnd or MappingEnd:
                _depth--;
                break;
        }

        return true;
    }
}
