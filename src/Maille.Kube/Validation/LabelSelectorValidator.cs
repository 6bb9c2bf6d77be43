using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>ValidateLabelSelector: matchLabels, then each expression's operator, key and values.</summary>
internal static class LabelSelectorValidator
{
    /// <summary>Reports what is wrong with <paramref name="selector"/>; false when it reported anything.</summary>
    public static bool Validate(FieldErrors errors, V1LabelSelector? selector, string path)
    {
        if (selector is null)
        {
            return true;
        }

        var before = errors.Count;
        ObjectMetaValidator.ValidateLabels(errors, selector.MatchLabels, $"{path}.matchLabels");
        var expressions = selector.MatchExpressions ?? [];
        for (var i = 0; i < expressions.Count; i++)
        {
            var expression = expressions[i];
            var at = $"{path}.matchExpressions[{i}]";
            var values = expression.Values ?? [];
            switch (ModelConverter.OperatorOf(expression.OperatorProperty))
            {
                case null:
                    errors.Invalid($"{at}.operator", expression.OperatorProperty ?? "", "not a valid selector operator");
                    break;
                case SelectorOperator.In or SelectorOperator.NotIn when values.Count == 0:
                    errors.Required($"{at}.values", "must be specified when `operator` is 'In' or 'NotIn'");
                    break;
                case SelectorOperator.Exists or SelectorOperator.DoesNotExist when values.Count > 0:
                    errors.Forbidden($"{at}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    break;
                default:
                    break;
            }

            // After the operator, as apimachinery's ValidateLabelSelectorRequirement orders its errors.
            foreach (var problem in NameRules.QualifiedName(expression.Key ?? ""))
            {
                errors.Invalid($"{at}.key", expression.Key ?? "", problem);
            }

            for (var v = 0; v < values.Count; v++)
            {
                foreach (var problem in NameRules.LabelValue(values[v] ?? ""))
                {
                    errors.Invalid($"{at}.values[{v}]", values[v], problem);
                }
            }
        }

        return errors.Count == before;
    }

    /// <summary>A list of selectors (MetalLB's), each at <c>path[i]</c>.</summary>
    public static void ValidateEach(FieldErrors errors, List<V1LabelSelector>? selectors, string path)
    {
        for (var i = 0; i < (selectors?.Count ?? 0); i++)
        {
            Validate(errors, selectors![i], $"{path}[{i}]");
        }
    }
}
