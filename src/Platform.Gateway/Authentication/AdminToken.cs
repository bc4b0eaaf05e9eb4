using System.Security.Cryptography;
using System.Text;

namespace Platform.Gateway.Authentication;

/// <summary>
/// The bootstrap admin token: written to <c>admin-token</c> in the data folder (mode 0600) on the
/// first start, so the machine's owner can use <c>labctl</c> before any admin user exists.
/// </summary>
public sealed class AdminToken
{
    /// <summary>File name inside the data folder.</summary>
    public const string FileName = "admin-token";

    private readonly byte[] _hash;

    private AdminToken(byte[] hash) => _hash = hash;

    /// <summary>Reads the token file under <paramref name="dataDirectory"/>, creating it with a new random token when missing.</summary>
    public static async Task<AdminToken> LoadOrCreateAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        string token;
        if (File.Exists(path))
        {
            token = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
            if (!token.StartsWith(Tokens.AccessTokenFormat.AdminTokenPrefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"The admin token file '{path}' does not contain an admin token (it must start with '{Tokens.AccessTokenFormat.AdminTokenPrefix}'). Delete it to have a new one generated.");
            }
        }
        else
        {
            token = Tokens.AccessTokenFormat.Generate(Tokens.AccessTokenFormat.AdminTokenPrefix);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Created with mode 0600 from the start, so no other user can read it even briefly.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using var stream = new FileStream(path, options);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(token + "\n"), cancellationToken);
        }

        return new AdminToken(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>Compares a presented token with the admin token in constant time.</summary>
    public bool Matches(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return CryptographicOperations.FixedTimeEquals(hash, _hash);
    }
}
