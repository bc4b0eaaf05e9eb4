namespace Platform.Models.Ffm.Model;

/// <summary>Raised when data does not fit a model, for example a field id at or above the model's m.</summary>
public sealed class FfmModelMismatchException(string message) : InvalidOperationException(message);
