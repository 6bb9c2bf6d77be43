using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Maille.Kube;

/// <summary>
/// Refuses YAML nested deeper than a Kubernetes object ever is, before anything builds a tree of it: YamlDotNet builds
/// nodes recursively, so a body of <c>[[[[…</c> a few hundred kilobytes long would overflow the stack of the process
/// reading it, and a stack overflow cannot be caught. The check reads the text's events once, without recursion.
/// </summary>
internal static class YamlDepthGuard
{
    /// <summary>Deeper than any built-in kind's schema (a Pod's deepest fields are about 15 levels down).</summary>
    public const int MaxDepth = 100;

    /// <exception cref="FormatException">The text is nested deeper than <paramref name="maxDepth"/>, or is not YAML.</exception>
    public static void Check(string source, string text, int maxDepth = MaxDepth)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case SequenceStart or MappingStart:
                        if (++depth > maxDepth)
                        {
                            throw new FormatException($"{source}:{parser.Current.Start.Line}: nested deeper than {maxDepth} levels");
                        }

                        break;
                    case SequenceEnd or MappingEnd:
                        depth--;
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            throw new FormatException($"{source}:{e.Start.Line}: not valid YAML: {e.Message}", e);
        }
    }
}
