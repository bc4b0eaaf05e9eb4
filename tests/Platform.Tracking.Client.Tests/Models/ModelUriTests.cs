namespace Platform.Tracking.Client.Tests;

public sealed class ModelUriTests
{
    [Theory]
    [InlineData("models:/ffm/3", "ffm", "3", null, null)]
    [InlineData("models:/ffm@champion", "ffm", null, "champion", null)]
    [InlineData("models:/ffm/Production", "ffm", null, null, "Production")]
    [InlineData("models:/ffm/latest", "ffm", null, null, "latest")]
    [InlineData("models:/team/ctr model/12", "team/ctr model", "12", null, null)]
    [InlineData("models:/a@b@prod", "a@b", null, "prod", null)]
    public void Parse_AcceptsMlflowForms(string uri, string name, string? version, string? alias, string? stage)
    {
        var parsed = ModelUri.Parse(uri);

        Assert.Equal(new ModelUri(name, version, alias, stage), parsed);
        Assert.Equal(uri, parsed.ToString());
    }

    [Theory]
    [InlineData("models:/")]
    [InlineData("models:/ffm")]
    [InlineData("models:/ffm@")]
    [InlineData("models:/@alias")]
    [InlineData("runs:/abc/model")]
    [InlineData("models:ffm/1")]
    public void Parse_RejectsInvalidUri(string uri)
    {
        var error = Assert.Throws<FormatException>(() => ModelUri.Parse(uri));

        Assert.Contains($"'{uri}'", error.Message, StringComparison.Ordinal);
    }
}
