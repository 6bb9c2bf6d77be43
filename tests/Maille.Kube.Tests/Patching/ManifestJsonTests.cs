using Maille.Kube.Patching;

namespace Maille.Kube.Tests.Patching;

public sealed class ManifestJsonTests
{
    [Fact]
    public void Plain_scalars_are_typed_and_quoted_ones_stay_strings_with_numbers_kept_as_written()
    {
        var document = ManifestDocument.Parse("t.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c}
            data: {a: "80", b: 80, c: true, d: "true", e: 1.10, f: ~, g: 0755, h: web}
            """)[0];

        var json = ManifestJson.Of(document);

        Assert.Equal("""{"a":"80","b":80,"c":true,"d":"true","e":1.10,"f":null,"g":"0755","h":"web"}""", json["data"]!.ToJsonString());
    }
}
