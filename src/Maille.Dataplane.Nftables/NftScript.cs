using System.Text;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// Writes nftables commands for one table (<c>nft -f</c> syntax). The whole table is one transaction
/// (<see cref="WriteTable(NftRuleset)"/>: add, delete and declare it again, so nothing old survives); changes are single commands.
/// Large element lists are split into commands of <see cref="ElementsPerCommand"/>, so an error names a short line.
/// </summary>
public sealed class NftScript(string family, string table)
{
    public const int ElementsPerCommand = 500;

    private readonly StringBuilder _text = new();
    private readonly List<NftElementOperation> _elementOperations = [];

    public int CommandCount { get; private set; }

    public bool IsEmpty => CommandCount == 0;

    /// <summary>The element commands, in order, with their elements (kept as written).</summary>
    public IReadOnlyList<NftElementOperation> ElementOperations => _elementOperations;

    public override string ToString() => _text.ToString();

    /// <summary>Replaces the whole table atomically: everything it held before is gone, dynamic sets included.</summary>
    public void WriteTable(NftRuleset ruleset) => WriteTable(ruleset, dormant: false, withElements: _ => true);

    /// <summary>
    /// <see cref="WriteTable(NftRuleset)"/>, with the named counters in <paramref name="counters"/> starting from their
    /// values there instead of zero (a table written again keeps counting).
    /// </summary>
    public void WriteTable(NftRuleset ruleset, IReadOnlyDictionary<string, NftCounterValue> counters) =>
        WriteTable(ruleset, dormant: false, withElements: _ => true, counters);

    /// <summary>
    /// <see cref="WriteTable(NftRuleset)"/>, optionally <c>flags dormant</c> (the table's hooks see no packet until it is
    /// woken) and with only the elements of the sets <paramref name="withElements"/> chooses.
    /// </summary>
    public void WriteTable(NftRuleset ruleset, bool dormant, Func<NftSet, bool> withElements, IReadOnlyDictionary<string, NftCounterValue>? counters = null)
    {
        Line($"add table {family} {table}");
        Line($"delete table {family} {table}");
        _text.Append("table ").Append(family).Append(' ').Append(table).Append(" {\n");
        if (dormant)
        {
            _text.Append("\tflags dormant\n");
        }

        foreach (var counter in ruleset.Counters)
        {
            _text.Append("\tcounter ").Append(counter).Append(counters is not null && counters.TryGetValue(counter, out var value)
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" {{ packets {value.Packets} bytes {value.Bytes} }}\n")
                : " { }\n");
        }

        foreach (var set in ruleset.Sets)
        {
            _text.Append('\t').Append(set.IsMap ? "map " : "set ").Append(set.Name).Append(" { ").Append(set.Declaration).Append("; }\n");
        }

        foreach (var chain in ruleset.Chains)
        {
            _text.Append("\tchain ").Append(chain.Name).Append(" {\n");
            if (chain.Hook is not null)
            {
                _text.Append("\t\t").Append(chain.Hook.Text).Append('\n');
            }

            foreach (var rule in chain.Rules)
            {
                _text.Append("\t\t").Append(rule.Text).Append('\n');
            }

            _text.Append("\t}\n");
        }

        _text.Append("}\n");
        CommandCount++;
        foreach (var set in ruleset.Sets.Where(s => !s.Dynamic && withElements(s)))
        {
            AddElements(set.Name, set.Elements);
        }
    }

    /// <summary>The commands <see cref="WriteTable(NftRuleset)"/> writes for <paramref name="ruleset"/>, without writing them.</summary>
    public static int TableCommandCount(NftRuleset ruleset) =>
        3 + ruleset.Sets.Where(s => !s.Dynamic).Sum(s => (s.Elements.Count + ElementsPerCommand - 1) / ElementsPerCommand);

    public void AddSet(NftSet set) => Line($"add {(set.IsMap ? "map" : "set")} {family} {table} {set.Name} {{ {set.Declaration}; }}");

    public void DeleteSet(NftSet set) => Line($"delete {(set.IsMap ? "map" : "set")} {family} {table} {set.Name}");

    public void AddCounter(string name) => Line($"add counter {family} {table} {name}");

    public void DeleteCounter(string name) => Line($"delete counter {family} {table} {name}");

    public void AddChain(NftChain chain) =>
        Line(chain.Hook is null ? $"add chain {family} {table} {chain.Name}" : $"add chain {family} {table} {chain.Name} {{ {chain.Hook.Text} }}");

    public void FlushChain(string chain) => Line($"flush chain {family} {table} {chain}");

    public void DeleteChain(string chain) => Line($"delete chain {family} {table} {chain}");

    public void AddRules(NftChain chain)
    {
        foreach (var rule in chain.Rules)
        {
            Line($"add rule {family} {table} {chain.Name} {rule.Text}");
        }
    }

    public void AddElements(string set, IEnumerable<NftElement> elements) => Elements("add", set, elements, withValue: true);

    /// <summary>Deletes by key: nftables matches elements on their key alone.</summary>
    public void DeleteElements(string set, IEnumerable<NftElement> elements) => Elements("delete", set, elements, withValue: false);

    private void Elements(string verb, string set, IEnumerable<NftElement> elements, bool withValue)
    {
        foreach (var chunk in elements.Chunk(ElementsPerCommand))
        {
            _elementOperations.Add(new NftElementOperation(withValue, set, chunk));
            _text.Append(verb).Append(" element ").Append(family).Append(' ').Append(table).Append(' ').Append(set).Append(" { ");
            for (var i = 0; i < chunk.Length; i++)
            {
                if (i > 0)
                {
                    _text.Append(", ");
                }

                var element = chunk[i];
                _text.Append(element.Key);
                if (withValue && (element.Verdict is not null || element.Data is not null))
                {
                    _text.Append(" : ").Append(element.Verdict?.ToString() ?? element.Data);
                }
            }

            _text.Append(" }\n");
            CommandCount++;
        }
    }

    private void Line(string command)
    {
        _text.Append(command).Append('\n');
        CommandCount++;
    }
}
