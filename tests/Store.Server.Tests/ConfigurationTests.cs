using System.Net;
using Microsoft.Extensions.Configuration;
using Store.Kv;

namespace Store.Server.Tests;

/// <summary>Options from flags, STORE_ variables and a JSON file; validation names the bad field.</summary>
public sealed class ConfigurationTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public void Defaults_need_no_configuration()
    {
        StoreServerOptions options = ServerConfiguration.ToOptions(ServerConfiguration.Build([], NoEnvironment));
        Assert.Equal("data", options.DataDirectory);
        Assert.Equal(7379, options.Port);
        Assert.Equal(7380, options.AdminPort);
        Assert.Equal(IPAddress.Loopback, options.BindAddress);
        Assert.Equal(16 << 20, options.MaxFrameBytes);
        Assert.Equal(1024, options.MaxInFlightPerConnection);
        Assert.Equal(10_000, options.MaxConnections);
        Assert.Equal(16 << 10, options.ReceiveBufferBytes);
        Assert.Equal(TimeSpan.FromMinutes(5), options.IdleTimeout);
        Assert.Empty(options.Tokens);
        Assert.False(options.AuthenticationEnabled);
        options.Validate();
    }

    [Fact]
    public void Flags_override_the_environment_which_overrides_the_file()
    {
        using var directory = new TempDirectory();
        string file = Path.Combine(directory.Path, "store.json");
        File.WriteAllText(file, """
            { "Port": 1111, "AdminPort": 2222, "MaxConnections": 5, "IdleTimeout": "00:00:30", "Tokens": { "file-token": "filetenant" } }
            """);
        var environment = new Dictionary<string, string?>
        {
            ["STORE_CONFIG"] = file,
            ["STORE_PORT"] = "3333",
            ["STORE_MAXCONNECTIONS"] = "6",
            ["STORE_TOKENS__env-token"] = "envtenant",
            ["OTHER_PORT"] = "1",
        };
        IConfiguration configuration = ServerConfiguration.Build(
            ["--port", "4444", "--data", "/tmp/x", "--token", "cli=clitenant", "--admin-port", "off", "--durability", "always", "--bind", "*", "--receive-buffer-bytes", "65536"], environment);
        StoreServerOptions options = ServerConfiguration.ToOptions(configuration);
        Assert.Equal(4444, options.Port);
        Assert.Equal(6, options.MaxConnections);
        Assert.Equal(65536, options.ReceiveBufferBytes);
        Assert.Null(options.AdminPort);
        Assert.Equal("/tmp/x", options.DataDirectory);
        Assert.Equal(TimeSpan.FromSeconds(30), options.IdleTimeout);
        Assert.Equal(IPAddress.Any, options.BindAddress);
        Assert.Equal(Durability.Always, options.DatabaseOptions.Durability);
        Assert.Equal("filetenant", options.Tokens["file-token"]);
        Assert.Equal("envtenant", options.Tokens["env-token"]);
        Assert.Equal("clitenant", options.Tokens["cli"]);
    }

    [Theory]
    [InlineData("--port", "abc", "--port")]
    [InlineData("--idle-timeout", "soon", "IdleTimeout")]
    [InlineData("--durability", "sometimes", "Durability")]
    [InlineData("--bind", "not-an-ip", "BindAddress")]
    public void Values_that_do_not_parse_name_the_setting(string flag, string value, string named)
    {
        FormatException error = Assert.Throws<FormatException>(() => ServerConfiguration.ToOptions(ServerConfiguration.Build([flag, value], NoEnvironment)));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_flags_and_bad_tokens_are_refused()
    {
        Assert.Throws<FormatException>(() => ServerConfiguration.Build(["--prot", "1"], NoEnvironment));
        Assert.Throws<FormatException>(() => ServerConfiguration.Build(["--token", "novalue"], NoEnvironment));
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validation_names_the_bad_field(string field, StoreServerOptions options)
    {
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, StoreServerOptions> InvalidOptions => new()
    {
        { "Port", new StoreServerOptions { Port = 70000 } },
        { "AdminPort", new StoreServerOptions { Port = 5000, AdminPort = 5000 } },
        { "MaxFrameBytes", new StoreServerOptions { MaxFrameBytes = 10 } },
        { "MaxInFlightPerConnection", new StoreServerOptions { MaxInFlightPerConnection = 0 } },
        { "MaxConnections", new StoreServerOptions { MaxConnections = 0 } },
        { "ReceiveBufferBytes", new StoreServerOptions { ReceiveBufferBytes = 1024 } },
        { "ReceiveBufferBytes", new StoreServerOptions { ReceiveBufferBytes = 2 << 20 } },
        { "IdleTimeout", new StoreServerOptions { IdleTimeout = TimeSpan.FromMilliseconds(5) } },
        { "ShutdownTimeout", new StoreServerOptions { ShutdownTimeout = TimeSpan.Zero } },
        { "DataDirectory", new StoreServerOptions { DataDirectory = " " } },
        { "CertificatePath", new StoreServerOptions { CertificatePath = "/nonexistent/server.pfx" } },
        { "CertificatePassword", new StoreServerOptions { CertificatePassword = "x" } },
        { "Tokens", new StoreServerOptions { Tokens = new Dictionary<string, string> { [string.Empty] = "t" } } },
        { "SegmentSize", new StoreServerOptions { DatabaseOptions = new DatabaseOptions { SegmentSize = 3 } } },
    };
}
