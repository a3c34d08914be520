namespace Store.Client.Tests.Contract;

/// <summary>The contract against <see cref="EmbeddedStore"/> on a temporary directory.</summary>
public sealed class EmbeddedStoreContractTests : KeyValueStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "store-client-tests-" + Guid.NewGuid().ToString("N"));

    protected override Task<IKeyValueStore> OpenStoreAsync() => Task.FromResult<IKeyValueStore>(EmbeddedStore.Open(_directory));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
