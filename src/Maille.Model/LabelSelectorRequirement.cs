namespace Maille.Model;

/// <summary>One <c>matchExpressions</c> entry. <see cref="Operator"/> is null when the input named an unknown one.</summary>
public sealed record LabelSelectorRequirement(string Key, SelectorOperator? Operator, EquatableArray<string> Values, string RawOperator);
