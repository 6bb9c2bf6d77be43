namespace Maille.Model;

/// <summary>The four operators of a label selector's <c>matchExpressions</c>.</summary>
internal enum SelectorOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
}
