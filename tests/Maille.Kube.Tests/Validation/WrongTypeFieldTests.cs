using Maille.TestKit;

namespace Maille.Kube.Tests.Validation;

/// <summary>
/// A value of the wrong type (a word for a number, a map for a list) is reported like every other field error: file,
/// line, object and the field's full path with list indices. The cases are golden folders run by
/// <see cref="GoldenValidationTests"/> for files: <c>wrong-type-scalars</c>, <c>wrong-type-collections</c>,
/// <c>wrong-type-in-a-list</c>, and <c>yaml-read-error</c>, whose second document is the bad one. Here the same inputs
/// come in the other way: applied to a running lab, whose API parses a request into documents and loads them through
/// its cache.
/// </summary>
public sealed class WrongTypeFieldTests
{
    [Theory]
    [InlineData("wrong-type-scalars")]
    [InlineData("wrong-type-collections")]
    [InlineData("wrong-type-in-a-list")]
    [InlineData("yaml-read-error")]
    public void Objects_applied_to_a_lab_get_the_field_errors_a_file_gets_with_lines_of_the_request(string name)
    {
        var documents = ManifestDocument.Parse("input.yaml", Goldens.ValidationErrors.Read(Path.Combine(name, "input.yaml")));

        var (_, diagnostics) = new DocumentLoadCache().Load(documents);

        Assert.Equal(
            Goldens.ValidationErrors.ReadLines(Path.Combine(name, "expected.txt")),
            diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
    }
}
