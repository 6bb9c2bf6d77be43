namespace Maille.Lab.Labs;

/// <summary>
/// Files only their owner may read: a lab's state folder holds applied Secrets (TLS private keys among them) and the
/// API's keys, so the folder is 0700 and every file in it 0600, from the moment it exists (created with that mode,
/// never loosened afterwards).
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (and its parents) 0700, or tightens it to 0700 when it exists.</summary>
    public static void CreateDirectory(string path)
    {
        Directory.CreateDirectory(path, DirectoryMode);
        File.SetUnixFileMode(path, DirectoryMode);
    }

    /// <summary>Replaces <paramref name="path"/> in one rename with a 0600 file holding <paramref name="text"/>.</summary>
    public static void Write(string path, string text) => Write(path, writer => writer.Write(text));

    /// <summary>Replaces <paramref name="path"/> in one rename with a 0600 file holding what <paramref name="write"/> writes.</summary>
    public static void Write(string path, Action<TextWriter> write)
    {
        // Unique, so that two writers of one file (two `maille up` merging kubeconfigs) never share a temporary.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var stream = new FileStream(temporary, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode, BufferSize = 64 * 1024 });
        try
        {
            using (var writer = new StreamWriter(stream))
            {
                write(writer);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Creates <paramref name="path"/> empty and 0600 if it does not exist (a log others append to), else tightens it.</summary>
    public static void Touch(string path)
    {
        using (new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = FileMode }))
        {
        }

        File.SetUnixFileMode(path, FileMode);
    }
}
