namespace Maille.Kube.Live;

public enum InformerChangeType
{
    Added,
    Modified,
    Deleted,
}
