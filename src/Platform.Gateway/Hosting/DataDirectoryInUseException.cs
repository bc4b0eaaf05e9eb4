namespace Platform.Gateway.Hosting;

/// <summary>Exception raised at start-up when another gateway has locked the data folder.</summary>
public sealed class DataDirectoryInUseException : IOException
{
    public DataDirectoryInUseException(string dataDirectory, int? ownerPid, Exception innerException)
        : base(FormatMessage(dataDirectory, ownerPid), innerException)
    {
        DataDirectory = dataDirectory;
        OwnerPid = ownerPid;
    }

    /// <summary>The locked data folder.</summary>
    public string DataDirectory { get; }

    /// <summary>PID of the gateway that has the lock, when it recorded one.</summary>
    public int? OwnerPid { get; }

    private static string FormatMessage(string dataDirectory, int? ownerPid) =>
        $"The data folder '{dataDirectory}' is in use by another gateway ({(ownerPid is { } pid ? $"PID {pid}" : "PID unknown")}). " +
        "Stop that gateway, or choose another folder with --data-dir.";
}
