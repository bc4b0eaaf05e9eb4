namespace Platform.Gateway.Runtime;

/// <summary>Finds the tracking server program that the local runtime starts.</summary>
internal static class TrackingServerLocator
{
    public const string AssemblyFileName = "Platform.Tracking.dll";

    /// <summary>
    /// Returns the full path of the configured program, or of <see cref="AssemblyFileName"/> next to the
    /// gateway or in the source tree's build output. Throws with every tried location when none exists.
    /// </summary>
    public static string Locate(string? configuredPath, string baseDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            var full = Path.GetFullPath(configuredPath);
            return File.Exists(full)
                ? full
                : throw new FileNotFoundException($"The tracking server '{full}' (Runtime:TrackingServerPath or --tracking-server) does not exist. Build it with 'dotnet build src/Platform.Tracking' or fix the path.", full);
        }

        var tried = new List<string>();
        var beside = Path.Combine(baseDirectory, AssemblyFileName);
        tried.Add(beside);
        if (File.Exists(beside))
        {
            return beside;
        }

        // Running from a source checkout: src/Platform.Gateway/bin/<configuration>/net10.0/ sits beside src/Platform.Tracking.
        for (var directory = new DirectoryInfo(baseDirectory); directory is not null; directory = directory.Parent)
        {
            var trackingBin = Path.Combine(directory.FullName, "src", "Platform.Tracking", "bin");
            tried.Add(Path.Combine(trackingBin, "*", "*", AssemblyFileName));
            if (!Directory.Exists(trackingBin))
            {
                continue;
            }

            var newest = Directory.EnumerateFiles(trackingBin, AssemblyFileName, SearchOption.AllDirectories)
                .Select(path => new FileInfo(path))
                .OrderByDescending(file => file.LastWriteTimeUtc)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest.FullName;
            }
        }

        throw new FileNotFoundException(
            $"The tracking server {AssemblyFileName} was not found (tried: {string.Join(", ", tried)}). Build it with 'dotnet build src/Platform.Tracking' or set Runtime:TrackingServerPath.");
    }
}
