namespace Platform.MainJob;

/// <summary>The <c>labctl</c> exit codes that the main job reacts to.</summary>
internal static class LabctlExitCodes
{
    /// <summary>The named object does not exist, or already exists when creating it.</summary>
    public const int NotFoundOrExists = 4;
}
