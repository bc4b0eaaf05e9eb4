namespace Platform.Testing;

/// <summary>Locates the repository root and its sample data from a test's working folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder that contains <c>Platform.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The <c>data/samples</c> folder carried in the repository.</summary>
    public static string Samples => Path.Combine(Root, "data", "samples");

    /// <summary>Full path of a file under <c>data/samples</c>.</summary>
    public static string Sample(string fileName) => Path.Combine(Samples, fileName);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName
            ?? throw new InvalidOperationException($"Platform.sln not found above '{AppContext.BaseDirectory}'.");
    }
}
