namespace Platform.MainJob.Tests;

public sealed class ShellQuotingTests
{
    [Theory]
    [InlineData("token", "token")]
    [InlineData("--expires-in", "--expires-in")]
    [InlineData("models:/ffm@champion", "models:/ffm@champion")]
    [InlineData("", "''")]
    [InlineData("minted by the main job (make run)", "'minted by the main job (make run)'")]
    [InlineData("it's", @"'it'\''s'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("a*b", "'a*b'")]
    public void Quote_QuotesOnlyWhenNeeded(string argument, string expected)
    {
        Assert.Equal(expected, ShellQuoting.Quote(argument));
    }

    [Fact]
    public void Join_RoundTripsThroughBash()
    {
        string[] arguments = ["--description", "minted by the main job (make run)", "it's", "", "$HOME"];

        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("printf '%s\\n' " + ShellQuoting.Join(arguments));
        using var bash = System.Diagnostics.Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();

        Assert.Equal(0, bash.ExitCode);
        Assert.Equal(string.Join('\n', arguments) + "\n", output);
    }
}
