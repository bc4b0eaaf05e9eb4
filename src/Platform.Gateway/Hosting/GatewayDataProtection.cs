using Microsoft.AspNetCore.DataProtection;

namespace Platform.Gateway.Hosting;

/// <summary>
/// Keeps ASP.NET Core DataProtection keys in the gateway's data folder. AddAuthentication registers
/// DataProtection and its hosted service creates a key ring at start-up, although the gateway protects
/// no data with it: it issues no cookies and no antiforgery tokens. Without a configured folder the keys
/// would go to ~/.aspnet/DataProtection-Keys, outside the data folder.
/// </summary>
internal static class GatewayDataProtection
{
    /// <summary>Subfolder of the data folder that contains the key ring.</summary>
    public const string KeyDirectoryName = "data-protection-keys";

    public static void Add(IServiceCollection services, string dataDirectory)
    {
        services.AddDataProtection()
            .SetApplicationName(GatewayApplication.ServiceName)
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, KeyDirectoryName)));
    }
}
