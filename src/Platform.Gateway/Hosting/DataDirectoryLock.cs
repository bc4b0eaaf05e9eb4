using System.Globalization;

namespace Platform.Gateway.Hosting;

/// <summary>
/// Exclusive lock on a data folder, held for the gateway's lifetime so that a second gateway cannot share the folder's
/// database, tokens, tracking servers and logs. The lock is an OS lock on <c>gateway.lock</c>, because .NET opens the
/// file with <see cref="FileShare.None"/>, which on Linux and macOS takes <c>flock(LOCK_EX)</c>. The kernel therefore
/// releases it when the process exits, even on SIGKILL. The owner's PID goes to <c>gateway.pid</c>, because another process cannot read
/// the locked file itself.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    /// <summary>Name of the locked file inside the data folder.</summary>
    public const string LockFileName = "gateway.lock";

    /// <summary>Name of the file that stores the PID of the gateway that holds the lock.</summary>
    public const string PidFileName = "gateway.pid";

    private readonly FileStream _lockFile;
    private readonly string _pidFile;

    private DataDirectoryLock(FileStream lockFile, string pidFile)
    {
        _lockFile = lockFile;
        _pidFile = pidFile;
    }

    /// <summary>
    /// Takes the lock on <paramref name="dataDirectory"/>, creating the folder if needed. Raises
    /// <see cref="DataDirectoryInUseException"/> when another process, or another gateway in this process, has taken it.
    /// </summary>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var pidFile = Path.Combine(dataDirectory, PidFileName);

        // NOTE: setting DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1 turns FileShare.None into no lock on Unix, and then two
        // gateways can share a folder again.
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(dataDirectory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            throw new DataDirectoryInUseException(dataDirectory, ReadOwnerPid(pidFile), ex);
        }

        try
        {
            File.WriteAllText(pidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }

        return new DataDirectoryLock(lockFile, pidFile);
    }

    /// <summary>Removes the PID file and releases the lock.</summary>
    public void Dispose()
    {
        if (ReadOwnerPid(_pidFile) == Environment.ProcessId)
        {
            File.Delete(_pidFile);
        }

        _lockFile.Dispose();
    }

    // The PID file may be missing or half written while its owner starts, and the message then goes without a PID.
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
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
