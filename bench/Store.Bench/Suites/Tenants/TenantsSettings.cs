using System.Globalization;
using Store.Bench.Cli;

namespace Store.Bench.Suites.Tenants;

/// <summary>Settings of the tenants suite: where fashion-mnist is, how many queries, the generator's seed.</summary>
internal sealed record TenantsSettings(bool Quick, int Queries, int Tenants, ulong Seed, string DataDirectory, IReadOnlyList<string> Subjects)
{
    public const string Curator = "curator";
    public const string SharedFilter = "shared+filter";
    public const string PerTenant = "per-tenant";

    public const ulong DefaultSeed = 20_261_207;
    public const int FullQueries = 10_000;
    public const int QuickQueries = 1_000;
    public const int DefaultTenants = 1_000;
    public const string DefaultData = "/usr/share/datasets/fashion-mnist";

    public static IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("queries", "N", $"queries (fashion-mnist test images) used (default {FullQueries}; quick {QuickQueries})"),
        new("tenants", "N", $"tenants (default {DefaultTenants})"),
        new("seed", "N", $"seed of the tenant generator (default {DefaultSeed})"),
        new("subjects", "LIST", $"subjects to run (default all; the result lines need all): {Curator}, {SharedFilter}, {PerTenant}"),
        new("data", "DIR", $"folder with train-images-idx3-ubyte.gz and t10k-images-idx3-ubyte.gz (default {DefaultData}, Debian's dataset-fashion-mnist)"),
    ];

    public static TenantsSettings From(SuiteContext context)
    {
        var options = context.Options;
        int queries = options.GetInt("queries", context.Quick ? QuickQueries : FullQueries, 1, FullQueries);
        int tenants = options.GetInt("tenants", DefaultTenants, 2, 100_000);
        string seedText = options.Value("seed") ?? DefaultSeed.ToString(CultureInfo.InvariantCulture);
        if (!ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
        {
            throw new UsageException($"option '--seed' needs a non-negative integer, got '{seedText}'");
        }

        IReadOnlyList<string> all = [Curator, SharedFilter, PerTenant];
        IReadOnlyList<string> subjects = options.GetList("subjects") ?? all;
        foreach (string subject in subjects)
        {
            if (!all.Contains(subject))
            {
                throw new UsageException($"unknown subject '{subject}' (known: {string.Join(',', all)})");
            }
        }

        return new TenantsSettings(context.Quick, queries, tenants, seed, Path.GetFullPath(options.Value("data") ?? DefaultData), subjects);
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"mode={(Quick ? "quick" : "full")} queries={Queries} tenants={Tenants} seed={Seed} subjects={string.Join(',', Subjects)} data={DataDirectory}");
}
