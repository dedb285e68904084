namespace PaperCatalog.Data;

/// <summary>
/// Files that hold private data (the store, with e-mail addresses and password hashes; its backups; the key ring) are
/// readable by their owner only. SQLite gives its <c>-wal</c> and <c>-shm</c> files the mode of the database file, so
/// creating the store itself with 0600 covers them.
/// </summary>
public static class OwnerOnly
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> empty with mode 0600 when missing; an existing file is narrowed to 0600.</summary>
    public static void CreateFile(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        if (!File.Exists(path))
        {
            try
            {
                using var _ = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFile });
                return;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; narrow it below like any existing file.
            }
        }
        Narrow(path, PrivateFile);
    }

    /// <summary>Creates the folder with mode 0700 when missing; an existing one is narrowed to 0700.</summary>
    public static DirectoryInfo CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows()) return Directory.CreateDirectory(path);
        var folder = Directory.Exists(path) ? new DirectoryInfo(path) : Directory.CreateDirectory(path, PrivateFolder);
        Narrow(path, PrivateFolder);
        return folder;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Narrow(string path, UnixFileMode mode)
    {
        try
        {
            if ((File.GetUnixFileMode(path) & ~mode) != 0) File.SetUnixFileMode(path, mode);
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to change (a store owned by another account, opened read-only): leave it as the owner set it.
        }
    }
}
