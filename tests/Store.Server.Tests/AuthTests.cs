using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>Tokens map to tenants; a tenant sees only its own keyspaces.</summary>
public sealed class AuthTests
{
    private static readonly Dictionary<string, string> Tokens = new(StringComparer.Ordinal)
    {
        ["acme-secret"] = "acme",
        ["globex-secret"] = "globex",
    };

    private static Task<TestServer> StartAsync() => TestServer.StartAsync((dir, logs) =>
        new StoreServerOptions { DataDirectory = dir, Port = 0, AdminPort = 0, LoggerFactory = logs, Tokens = Tokens });

    [Theory]
    [InlineData("")]
    [InlineData("wrong")]
    public async Task A_missing_or_unknown_token_gets_Unauthorized_and_a_close(string token)
    {
        await using TestServer server = await StartAsync();
        await using RawConnection client = await server.ConnectAsync();
        await client.SendAsync(Requests.Hello(1, token));
        Frame reply = Assert.Single(await client.ReadUntilClosedAsync());
        Assert.Equal(StatusCode.Unauthorized, reply.Status);
        Assert.Contains("token", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenants_have_separate_keyspaces_and_another_tenants_name_is_Forbidden()
    {
        await using TestServer server = await StartAsync();
        await using RawConnection acme = await server.OpenAsync("acme-secret");
        await using RawConnection globex = await server.OpenAsync("globex-secret");
        byte[] key = Frame.Bytes("shared-name");

        // Same keyspace names, different data.
        await acme.RequestAsync(Requests.Set(1, 0, key, Frame.Bytes("acme's")));
        Assert.Equal(StatusCode.NotFound, (await globex.RequestAsync(Requests.Get(2, 0, key))).Status);
        uint acmeOrders = (await acme.RequestAsync(Requests.OpenKeyspace(3, "orders"))).UInt32();
        await acme.RequestAsync(Requests.Set(4, acmeOrders, key, [1]));
        uint globexOrders = (await globex.RequestAsync(Requests.OpenKeyspace(5, "orders"))).UInt32();
        Assert.Equal(0, (await globex.RequestAsync(Requests.Count(6, globexOrders))).Int64());

        // Naming the other tenant is refused; naming your own tenant is the same keyspace.
        Frame forbidden = await globex.RequestAsync(Requests.OpenKeyspace(7, "acme:orders", create: false));
        Assert.Equal(StatusCode.Forbidden, forbidden.Status);
        Assert.Equal(StatusCode.Forbidden, (await globex.RequestAsync(Requests.OpenKeyspace(8, "acme:orders"))).Status);
        Assert.Equal(acmeOrders, (await acme.RequestAsync(Requests.OpenKeyspace(9, "acme:orders", create: false))).UInt32());
        Assert.Equal(StatusCode.InvalidArgument, (await acme.RequestAsync(Requests.OpenKeyspace(10, "acme:"))).Status);

        // Engine names carry the tenant prefix.
        Assert.Contains("acme:orders", server.Host.Database.Keyspaces);
        Assert.Contains("globex:orders", server.Host.Database.Keyspaces);
        Assert.Contains("acme:default", server.Host.Database.Keyspaces);
        Assert.DoesNotContain("orders", server.Host.Database.Keyspaces);
        server.AssertNoServerFaults();
    }

    [Fact]
    public void Tenant_names_with_the_separator_are_refused_at_start()
    {
        var options = new StoreServerOptions { Tokens = new Dictionary<string, string> { ["t"] = "a:b" } };
        ArgumentException error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("':'", error.Message, StringComparison.Ordinal);
    }
}
