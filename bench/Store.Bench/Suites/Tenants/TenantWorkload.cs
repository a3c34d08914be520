namespace Store.Bench.Suites.Tenants;

/// <summary>
/// The tenants benchmark's access model, generated from a seed (this code is the generator; the default
/// seed is <see cref="TenantsSettings.DefaultSeed"/>): each base vector gets an owner drawn from a Zipf
/// distribution (exponent <see cref="ZipfExponent"/>) over the tenants by rank, so tenant 0 is the largest,
/// and is shared with 0 to 3 other tenants (count uniform, grantees uniform among the others, distinct).
/// Each query gets a tenant by picking a base vector uniformly and one of the tenants that may access it
/// uniformly, so tenants are queried in proportion to what they can see.
/// </summary>
internal sealed class TenantWorkload
{
    public const double ZipfExponent = 1.0;
    public const int MaxShares = 3;

    private TenantWorkload(int tenants, int[] owners, int[][] grants, int[] queryTenants)
    {
        Tenants = tenants;
        Owners = owners;
        Grants = grants;
        QueryTenants = queryTenants;
        var lists = new List<int>[tenants];
        for (int t = 0; t < tenants; t++)
        {
            lists[t] = [];
        }

        for (int v = 0; v < owners.Length; v++)
        {
            lists[owners[v]].Add(v);
            foreach (int g in grants[v])
            {
                lists[g].Add(v);
            }
        }

        Accessible = [.. lists.Select(l => l.ToArray())];
    }

    public int Tenants { get; }

    /// <summary>Owner tenant of each base vector.</summary>
    public int[] Owners { get; }

    /// <summary>Tenants each base vector is granted to (not its owner).</summary>
    public int[][] Grants { get; }

    /// <summary>The tenant of each query.</summary>
    public int[] QueryTenants { get; }

    /// <summary>Base vectors each tenant may access, ascending.</summary>
    public int[][] Accessible { get; }

    public long AccessPairs => Accessible.Sum(a => (long)a.Length);

    public static TenantWorkload Generate(int vectors, int tenants, int queries, ulong seed)
    {
        var rng = new Random((int)(seed ^ (seed >> 32)));
        var cumulative = new double[tenants];
        double sum = 0;
        for (int t = 0; t < tenants; t++)
        {
            sum += 1 / Math.Pow(t + 1, ZipfExponent);
            cumulative[t] = sum;
        }

        var owners = new int[vectors];
        var grants = new int[vectors][];
        for (int v = 0; v < vectors; v++)
        {
            int at = Array.BinarySearch(cumulative, rng.NextDouble() * sum);
            int owner = Math.Min(tenants - 1, at >= 0 ? at : ~at);
            owners[v] = owner;
            int shares = rng.Next(MaxShares + 1);
            var chosen = new List<int>(shares);
            while (chosen.Count < shares)
            {
                int g = rng.Next(tenants);
                if (g != owner && !chosen.Contains(g))
                {
                    chosen.Add(g);
                }
            }

            grants[v] = [.. chosen];
        }

        var queryTenants = new int[queries];
        for (int q = 0; q < queries; q++)
        {
            int v = rng.Next(vectors);
            int pick = rng.Next(1 + grants[v].Length);
            queryTenants[q] = pick == 0 ? owners[v] : grants[v][pick - 1];
        }

        return new TenantWorkload(tenants, owners, grants, queryTenants);
    }

    public string Describe()
    {
        int[] sizes = [.. Accessible.Select(a => a.Length).OrderDescending()];
        int empty = sizes.Count(s => s == 0);
        return $"{Tenants} tenants, {Owners.Length} vectors, {AccessPairs} (vector, tenant) pairs ({(double)AccessPairs / Owners.Length:0.00} per vector); " +
            $"accessible per tenant: largest {sizes[0]}, 10th {sizes[Math.Min(9, sizes.Length - 1)]}, 100th {sizes[Math.Min(99, sizes.Length - 1)]}, median {sizes[sizes.Length / 2]}, smallest {sizes[^1]}; {empty} tenants see nothing";
    }
}
