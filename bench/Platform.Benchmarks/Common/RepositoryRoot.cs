namespace Platform.Benchmarks;

/// <summary>Locates the repository root (the folder with <c>Platform.sln</c>) from the working folder or the program's folder.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"Platform.sln was not found above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}'. Run the benchmark from the repository.");
    }
}
