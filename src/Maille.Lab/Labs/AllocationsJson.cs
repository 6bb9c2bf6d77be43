using System.Text.Json;
using System.Text.Json.Serialization;

namespace Maille.Lab.Labs;

/// <summary>
/// The allocations file's serializer, generated at build time and not indented: a lab of 10,000 Services writes it on
/// every change that allocates, and reflection-based serialization of the indented file took about 30 ms of each.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AllocationsFile))]
internal sealed partial class AllocationsJson : JsonSerializerContext;
