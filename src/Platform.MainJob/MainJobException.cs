namespace Platform.MainJob;

/// <summary>A step of the main job failed; the message says which step, why, and where the logs are.</summary>
public sealed class MainJobException : Exception
{
    public MainJobException(string message)
        : base(message)
    {
    }

    public MainJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MainJobException()
    {
    }
}
