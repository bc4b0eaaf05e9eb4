using System.Diagnostics;

namespace Platform.MainJob.Tests;

/// <summary>scripts/run.sh, run in a copy of the repository layout with stand-in 'make' build and 'dotnet'.</summary>
public sealed class RunScriptTests
{
    [Fact]
    public async Task MissingProgram_BuildsFirst()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var root = Path.Combine(Path.GetTempPath(), "run-script-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "scripts"));
        Directory.CreateDirectory(Path.Combine(root, "fake-bin"));
        try
        {
            File.Copy(FindRepositoryFile("scripts/run.sh"), Path.Combine(root, "scripts", "run.sh"));
            File.SetUnixFileMode(Path.Combine(root, "scripts", "run.sh"), (UnixFileMode)0b111_101_101);

            // The stand-in build creates the program and records its configuration.
            await File.WriteAllTextAsync(
                Path.Combine(root, "Makefile"),
                "build:\n\tmkdir -p src/Platform.MainJob/bin/$(CONFIGURATION)/net10.0\n" +
                "\ttouch src/Platform.MainJob/bin/$(CONFIGURATION)/net10.0/Platform.MainJob.dll\n" +
                "\techo $(CONFIGURATION) > built\n");
            var fakeDotnet = Path.Combine(root, "fake-bin", "dotnet");
            await File.WriteAllTextAsync(fakeDotnet, "#!/bin/sh\necho \"dotnet $*\"\n");
            File.SetUnixFileMode(fakeDotnet, (UnixFileMode)0b111_101_101);

            var start = new ProcessStartInfo(Path.Combine(root, "scripts", "run.sh"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add("--help");
            start.Environment["PATH"] = Path.Combine(root, "fake-bin") + ":" + Environment.GetEnvironmentVariable("PATH");
            start.Environment["CONFIGURATION"] = "Debug";
            using var script = Process.Start(start)!;
            var stderrTask = script.StandardError.ReadToEndAsync();
            var stdout = await script.StandardOutput.ReadToEndAsync();
            var stderr = await stderrTask;
            await script.WaitForExitAsync();

            Assert.Equal(0, script.ExitCode);
            Assert.Equal("Debug", (await File.ReadAllTextAsync(Path.Combine(root, "built"))).Trim());
            Assert.Contains("is missing; building it", stderr, StringComparison.Ordinal);
            Assert.Equal("dotnet src/Platform.MainJob/bin/Debug/net10.0/Platform.MainJob.dll --help\n", stdout);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string FindRepositoryFile(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"'{relativePath}' was not found above {AppContext.BaseDirectory}.");
    }
}
