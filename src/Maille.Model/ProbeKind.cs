namespace Maille.Model;

/// <summary>How a readiness probe checks a container.</summary>
internal enum ProbeKind
{
    HttpGet,
    TcpSocket,
    Exec,
    Grpc,
}
