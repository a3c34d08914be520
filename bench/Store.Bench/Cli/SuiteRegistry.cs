using Store.Bench.Suites.Ann;
using Store.Bench.Suites.Kv;
using Store.Bench.Suites.OrderedIndex;

namespace Store.Bench.Cli;

/// <summary>The suites the harness knows, by name. New suites (kv, ann, server, cache...) are added here.</summary>
internal static class SuiteRegistry
{
    public static IReadOnlyList<ISuite> Create() =>
    [
        new BSkipListSuite(), new KvSuite(), new AnnSuite(), new Store.Bench.Suites.Cache.CacheSuite(), new Store.Bench.Suites.Server.ServerSuite(),
        new Store.Bench.Suites.Churn.ChurnSuite(), new Store.Bench.Suites.Tenants.TenantsSuite(),
    ];
}
