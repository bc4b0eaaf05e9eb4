namespace Platform.Artifacts.Tests.Paths;

public sealed class ArtifactPathTests
{
    [Theory]
    [InlineData("model.pkl")]
    [InlineData("1/0a1b2c/artifacts/model.pkl")]
    [InlineData("dir with spaces/file name.txt")]
    [InlineData("unicode/ünï©ødé.txt")]
    [InlineData("literal%20percent.txt")]
    [InlineData("...hidden/..dots../x.")]
    [InlineData(".hidden")]
    public void ParseFile_ValidPath_KeepsValue(string value)
    {
        Assert.Equal(value, ArtifactPath.ParseFile(value).Value);
    }

    [Theory]
    [InlineData("../escape.txt", "'..' segment")]
    [InlineData("a/../../escape.txt", "'..' segment")]
    [InlineData("a/..", "'..' segment")]
    [InlineData("./a", "'.' segment")]
    [InlineData("/etc/passwd", "is absolute")]
    [InlineData("C:/Windows/win.ini", "drive letter")]
    [InlineData("a\\..\\b", "backslash")]
    [InlineData("a%2F..%2Fb", "'%2F'")]
    [InlineData("a%2f..%2fb", "'%2f'")]
    [InlineData("..%2Fsecret", "'%2F'")]
    [InlineData("a%5C..%5Cb", "'%5C'")]
    [InlineData("%2E%2E/secret", "'%2E'")]
    [InlineData("a%252F..%252Fb", "'%25'")]
    [InlineData("a%25252F", "'%25'")]
    [InlineData("a%u002Fb", "'%u002F'")]
    [InlineData("a%00b", "'%00'")]
    [InlineData("a\0b", "U+0000")]
    [InlineData("a\nb", "U+000A")]
    [InlineData("a\u007Fb", "U+007F")]
    [InlineData("a//b", "empty segment")]
    [InlineData("a/b/", "empty segment")]
    public void ParseFile_UnsafePath_ThrowsInvalidParameter(string value, string expectedProblem)
    {
        var error = Assert.Throws<ArtifactException>(() => ArtifactPath.ParseFile(value));

        Assert.Equal(ArtifactException.InvalidParameterValue, error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains(expectedProblem, error.Message, StringComparison.Ordinal);
        Assert.Contains("parameter 'path'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_UnpairedSurrogate_Throws()
    {
        // Built in code because test-case serialization would replace the lone surrogate with U+FFFD.
        var value = "a" + (char)0xD800 + "b";

        var error = Assert.Throws<ArtifactException>(() => ArtifactPath.ParseFile(value));

        Assert.Contains("unpaired UTF-16 surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_Empty_ThrowsMissing()
    {
        var error = Assert.Throws<ArtifactException>(() => ArtifactPath.ParseFile(""));

        Assert.Contains("is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_TooLong_ThrowsWithByteCount()
    {
        var error = Assert.Throws<ArtifactException>(() => ArtifactPath.ParseFile(new string('a', 1025)));

        Assert.Contains("1025 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_ControlCharacter_IsEscapedInMessage()
    {
        var error = Assert.Throws<ArtifactException>(() => ArtifactPath.ParseFile("a\r\nInjected: header"));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("a\\u000D\\u000AInjected", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("1/run/artifacts/", "1/run/artifacts")]
    [InlineData("1/run/artifacts", "1/run/artifacts")]
    public void ParseFolder_AcceptsRootAndTrailingSlash(string? value, string expected)
    {
        Assert.Equal(expected, ArtifactPath.ParseFolder(value).Value);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("../x")]
    [InlineData("a//")]
    public void ParseFolder_UnsafePath_Throws(string value)
    {
        Assert.Throws<ArtifactException>(() => ArtifactPath.ParseFolder(value));
    }

    [Fact]
    public void Append_SlashInName_Throws()
    {
        var error = Assert.Throws<ArtifactException>(() => ArtifactPath.ParseFolder("a").Append("b/c"));

        Assert.Contains("contains '/'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_Name_JoinsWithSlash()
    {
        Assert.Equal("a/b", ArtifactPath.ParseFolder("a").Append("b").Value);
        Assert.Equal("b", ArtifactPath.Root.Append("b").Value);
    }
}
