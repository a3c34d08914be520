namespace Store.Server.Tests.Cache;

/// <summary>The store-server program's cache settings: flags, environment and a JSON file.</summary>
public sealed class CacheConfigurationTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public void Cache_flags_and_variables_become_served_caches_and_operators()
    {
        StoreServerOptions options = ServerConfiguration.ToOptions(ServerConfiguration.Build(
            ["--cache", "answers=384", "--cache", "small=8", "--cache-operator", "gateway", "--token", "s3cret=gateway"],
            new Dictionary<string, string?> { ["STORE_SEMANTICCACHES__fromenv"] = "16" }));
        Assert.Equal(384, options.SemanticCaches["answers"].Dimension);
        Assert.Equal(8, options.SemanticCaches["small"].Dimension);
        Assert.Equal(16, options.SemanticCaches["fromenv"].Dimension);
        Assert.Equal(["gateway"], options.CacheOperatorTenants);
        options.Validate();
    }

    [Fact]
    public void Bad_cache_settings_name_the_setting()
    {
        Assert.Contains("NAME=DIMENSION", Assert.Throws<FormatException>(() => ServerConfiguration.Build(["--cache", "answers"], NoEnvironment)).Message, StringComparison.Ordinal);
        Assert.Contains("NAME=DIMENSION", Assert.Throws<FormatException>(() => ServerConfiguration.Build(["--cache"], NoEnvironment)).Message, StringComparison.Ordinal);
        FormatException notNumber = Assert.Throws<FormatException>(() => ServerConfiguration.ToOptions(ServerConfiguration.Build(["--cache", "answers=big"], NoEnvironment)));
        Assert.Contains("SemanticCaches:answers", notNumber.Message, StringComparison.Ordinal);

        StoreServerOptions zero = ServerConfiguration.ToOptions(ServerConfiguration.Build(["--cache", "answers=0"], NoEnvironment));
        Assert.Contains("Dimension", Assert.ThrowsAny<ArgumentException>(zero.Validate).Message, StringComparison.Ordinal);
        StoreServerOptions badOperator = ServerConfiguration.ToOptions(ServerConfiguration.Build(["--cache-operator", "a:b"], NoEnvironment));
        Assert.Contains("CacheOperatorTenants", Assert.ThrowsAny<ArgumentException>(badOperator.Validate).Message, StringComparison.Ordinal);
    }
}
