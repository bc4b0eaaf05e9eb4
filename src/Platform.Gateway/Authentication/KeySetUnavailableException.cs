namespace Platform.Gateway.Authentication;

/// <summary>Thrown when the signing keys needed to check a token cannot be fetched.</summary>
public sealed class KeySetUnavailableException : Exception
{
    public KeySetUnavailableException()
    {
    }

    public KeySetUnavailableException(string message)
        : base(message)
    {
    }

    public KeySetUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
