using System.Globalization;
using Microsoft.Extensions.Configuration;
using Store.Cache;

namespace Store.Server;

public static partial class ServerConfiguration
{
    /// <summary>Turns <c>--cache NAME=DIMENSION</c> and <c>--cache-operator TENANT</c> into configuration keys.</summary>
    private static void AddCacheFlag(string flag, string value, Dictionary<string, string?> keys)
    {
        if (flag == "--cache-operator")
        {
            keys[$"{nameof(StoreServerOptions.CacheOperatorTenants)}:{keys.Count}"] = value;
            return;
        }

        int eq = value.LastIndexOf('=');
        if (eq <= 0 || eq == value.Length - 1)
        {
            throw new FormatException($"--cache '{value}' must be NAME=DIMENSION (for example answers=384).");
        }

        keys[$"{nameof(StoreServerOptions.SemanticCaches)}:{value[..eq]}"] = value[(eq + 1)..];
    }

    /// <summary>The <c>SemanticCaches</c> section: cache name -> dimension (other cache options take their defaults).</summary>
    private static Dictionary<string, SemanticCacheOptions> SemanticCaches(IConfiguration configuration)
    {
        var caches = new Dictionary<string, SemanticCacheOptions>(StringComparer.Ordinal);
        foreach (IConfigurationSection cache in configuration.GetSection(nameof(StoreServerOptions.SemanticCaches)).GetChildren())
        {
            if (!int.TryParse(cache.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int dimension))
            {
                throw new FormatException($"SemanticCaches:{cache.Key} (--cache {cache.Key}=DIMENSION) must be the cache's vector dimension, a whole number; got '{cache.Value}'.");
            }

            caches[cache.Key] = new SemanticCacheOptions { Dimension = dimension };
        }

        return caches;
    }

    /// <summary>The <c>CacheOperatorTenants</c> list.</summary>
    private static List<string> CacheOperators(IConfiguration configuration) =>
        [.. configuration.GetSection(nameof(StoreServerOptions.CacheOperatorTenants)).GetChildren().Select(c => c.Value ?? string.Empty)];
}
