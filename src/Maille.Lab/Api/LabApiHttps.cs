namespace Maille.Lab.Api;

/// <summary>The API's HTTPS listener on 127.0.0.1: its port (0: the system chooses) and the lab's credentials.</summary>
public sealed record LabApiHttps(int Port, LabCredentials Credentials);
