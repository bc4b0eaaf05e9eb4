namespace Platform.Tracking.Api;

/// <summary>Generates readable run names such as <c>brave-otter-417</c> when a client sends none, as MLflow does.</summary>
internal static class RunNameGenerator
{
    private static readonly string[] Adjectives =
    [
        "able", "bold", "brave", "bright", "calm", "clever", "crisp", "eager", "fair", "gentle", "glad", "keen",
        "kind", "lucky", "merry", "nimble", "proud", "quick", "quiet", "rare", "sharp", "shy", "smart", "swift",
        "tidy", "vast", "warm", "wise", "witty", "zesty",
    ];

    private static readonly string[] Nouns =
    [
        "ant", "bat", "bear", "crane", "deer", "dove", "eel", "finch", "fox", "frog", "goat", "hare", "hawk",
        "lark", "lynx", "mole", "moth", "newt", "otter", "owl", "panda", "robin", "seal", "shark", "snail", "swan",
        "toad", "trout", "whale", "wolf",
    ];

    public static string Create() =>
        $"{Adjectives[Random.Shared.Next(Adjectives.Length)]}-{Nouns[Random.Shared.Next(Nouns.Length)]}-{Random.Shared.Next(1000)}";
}
