namespace Maille.Model;

/// <summary>The four operators of a label selector's <c>matchExpressions</c>.</summary>
public enum SelectorOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
}
