using Maille.Kube;

namespace Maille.Lab.Labs;

/// <summary>
/// How a desired state was made: from the value numbered <paramref name="From"/> (<see cref="LabManifests.Version"/>),
/// changing at most the documents and managed fields of <paramref name="Keys"/>.
/// </summary>
internal sealed record LabManifestsChange(long From, IReadOnlySet<ObjectKey> Keys);
