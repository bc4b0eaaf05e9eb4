namespace Platform.Models.Ffm.Model;

/// <summary>Raised when a model file is not a valid model of the expected format.</summary>
public sealed class FfmModelFormatException(string message) : FormatException(message);
