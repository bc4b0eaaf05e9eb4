using System.Globalization;

namespace Platform.MainJob;

/// <summary>
/// Pre-start check that no running gateway has locked the data folder. It runs before the port checks and before any
/// log file is opened, so a second main job neither reports a port conflict instead nor writes into the first one's
/// logs. The gateway keeps an OS lock (<c>flock</c>, through <see cref="FileShare.None"/>) on <c>gateway.lock</c>
/// and writes its PID to <c>gateway.pid</c>. The gateway takes the lock again at start-up, so a race between two
/// main jobs still ends in the gateway's own error.
/// </summary>
internal static class DataFolderInUseCheck
{
    private const string LockFileName = "gateway.lock";
    private const string PidFileName = "gateway.pid";

    /// <summary>Raises <see cref="MainJobException"/> when another gateway has locked <paramref name="dataDirectory"/>.</summary>
    public static void EnsureNotInUse(string dataDirectory)
    {
        var lockPath = Path.Combine(dataDirectory, LockFileName);
        if (!File.Exists(lockPath))
        {
            return;
        }

        try
        {
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            var owner = ReadOwnerPid(Path.Combine(dataDirectory, PidFileName)) is { } pid ? $"PID {pid}" : "PID unknown";
            throw new MainJobException(
                $"The data folder '{dataDirectory}' is in use by another gateway ({owner}). Stop that gateway, or choose another folder with --data-dir.",
                ex);
        }
    }

    private static int? ReadOwnerPid(string pidFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
