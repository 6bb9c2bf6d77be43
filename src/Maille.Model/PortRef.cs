namespace Maille.Model;

/// <summary>Kubernetes' IntOrString for ports: a number or a named container port.</summary>
public readonly record struct PortRef
{
    private PortRef(int? number, string? name)
    {
        Number = number;
        Name = name;
    }

    public int? Number { get; }

    public string? Name { get; }

    public bool IsNamed => Name is not null;

    public static PortRef FromNumber(int number) => new(number, null);

    public static PortRef FromName(string name) => new(null, name);

    public override string ToString() => Name ?? Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
