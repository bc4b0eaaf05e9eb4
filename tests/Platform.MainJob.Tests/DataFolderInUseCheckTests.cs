namespace Platform.MainJob.Tests;

public sealed class DataFolderInUseCheckTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mainjob-folder-check-" + Guid.NewGuid().ToString("N"));

    public DataFolderInUseCheckTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void LockedFolder_NamesFolderAndPid()
    {
        File.WriteAllText(Path.Combine(_folder, "gateway.pid"), "4242\n");
        using var gatewayLock = new FileStream(Path.Combine(_folder, "gateway.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var error = Assert.Throws<MainJobException>(() => DataFolderInUseCheck.EnsureNotInUse(_folder));

        Assert.Contains($"'{_folder}' is in use by another gateway (PID 4242)", error.Message, StringComparison.Ordinal);
        Assert.Contains("--data-dir", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LockedFolderWithoutPidFile_SaysPidUnknown()
    {
        using var gatewayLock = new FileStream(Path.Combine(_folder, "gateway.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var error = Assert.Throws<MainJobException>(() => DataFolderInUseCheck.EnsureNotInUse(_folder));

        Assert.Contains("(PID unknown)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StaleLockFile_IsAccepted()
    {
        // A gateway that exited leaves gateway.lock behind, but the kernel has released its lock.
        File.WriteAllText(Path.Combine(_folder, "gateway.lock"), string.Empty);
        File.WriteAllText(Path.Combine(_folder, "gateway.pid"), "4242\n");

        DataFolderInUseCheck.EnsureNotInUse(_folder);
        DataFolderInUseCheck.EnsureNotInUse(Path.Combine(_folder, "missing"));
    }
}
