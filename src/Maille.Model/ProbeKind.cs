namespace Maille.Model;

/// <summary>How a readiness probe checks a container.</summary>
public enum ProbeKind
{
    HttpGet,
    TcpSocket,
    Exec,
    Grpc,
}
