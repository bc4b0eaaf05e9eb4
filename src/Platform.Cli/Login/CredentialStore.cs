using System.Text.Json;

namespace Platform.Cli.Login;

/// <summary>
/// Reads and writes <c>$XDG_CONFIG_HOME/labplatform/credentials.json</c> (or <c>~/.config/labplatform/</c>),
/// created with mode 0600 inside a 0700 folder because it contains a refresh token.
/// </summary>
public sealed class CredentialStore
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public CredentialStore(CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);

        var configHome = environment.GetNonEmptyVariable("XDG_CONFIG_HOME") ?? Path.Combine(environment.HomeDirectory, ".config");
        FilePath = Path.Combine(configHome, "labplatform", "credentials.json");
    }

    /// <summary>Full path of the credentials file.</summary>
    public string FilePath { get; }

    /// <summary>Returns the stored credentials, or null when the user has not logged in.</summary>
    public async Task<StoredCredentials?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        await using var stream = File.OpenRead(FilePath);
        try
        {
            return await JsonSerializer.DeserializeAsync<StoredCredentials>(stream, JsonOptions, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new CliException($"The credentials file '{FilePath}' is not valid JSON ({ex.Message}). Run 'labctl login' again.", ExitCodes.NotAuthorized);
        }
    }

    /// <summary>Writes the credentials atomically: a new 0600 file is written, then renamed over the old one.</summary>
    public async Task SaveAsync(StoredCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);

        var directory = Path.GetDirectoryName(FilePath)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var temporary = FilePath + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(temporary, options))
        {
            await JsonSerializer.SerializeAsync(stream, credentials, JsonOptions, cancellationToken);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }
}
