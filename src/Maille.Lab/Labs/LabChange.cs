using Maille.Kube;

namespace Maille.Lab.Labs;

/// <summary>The desired state after a change, what happened to each object, and the objects that were not found.</summary>
public sealed record LabChange(LabManifests Manifests, IReadOnlyList<ObjectOutcome> Outcomes, IReadOnlyList<ObjectKey> NotFound);
