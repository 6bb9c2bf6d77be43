using Maille.Model;

namespace Maille.Lab.Tests.Labs;

/// <summary>The playground lab with <c>--dataplane ebpf</c>.</summary>
public sealed class EbpfPlaygroundLab() : PlaygroundLab(DataplaneKind.Ebpf);
