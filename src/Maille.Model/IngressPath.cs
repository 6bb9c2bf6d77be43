namespace Maille.Model;

/// <summary>One HTTP path of an Ingress rule. <see cref="PathType"/> keeps the raw text so validation can name bad values.</summary>
public sealed record IngressPath
{
    public string? Path { get; init; }

    public string? PathType { get; init; }

    public required IngressBackend Backend { get; init; }
}
