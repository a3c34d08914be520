using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Store.Kv;

namespace Store.Server;

/// <summary>
/// Turns configuration (JSON file, STORE_ environment variables, command line; later sources win) into
/// <see cref="StoreServerOptions"/>, with errors that name the setting and its flag. docs/server.md has the table.
/// </summary>
public static partial class ServerConfiguration
{
    /// <summary>Command-line flags and the configuration keys they set.</summary>
    public static readonly IReadOnlyDictionary<string, string> Flags = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--data"] = nameof(StoreServerOptions.DataDirectory),
        ["--port"] = nameof(StoreServerOptions.Port),
        ["--admin-port"] = nameof(StoreServerOptions.AdminPort),
        ["--bind"] = nameof(StoreServerOptions.BindAddress),
        ["--max-frame-bytes"] = nameof(StoreServerOptions.MaxFrameBytes),
        ["--max-in-flight"] = nameof(StoreServerOptions.MaxInFlightPerConnection),
        ["--max-connections"] = nameof(StoreServerOptions.MaxConnections),
        ["--receive-buffer-bytes"] = nameof(StoreServerOptions.ReceiveBufferBytes),
        ["--idle-timeout"] = nameof(StoreServerOptions.IdleTimeout),
        ["--shutdown-timeout"] = nameof(StoreServerOptions.ShutdownTimeout),
        ["--cert"] = nameof(StoreServerOptions.CertificatePath),
        ["--cert-password"] = nameof(StoreServerOptions.CertificatePassword),
        ["--server-name"] = nameof(StoreServerOptions.ServerName),
        ["--durability"] = nameof(DatabaseOptions.Durability),
        ["--log-level"] = "LogLevel",
        ["--config"] = "Config",
    };

    /// <summary>Prefix of the environment variables read.</summary>
    public const string EnvironmentPrefix = "STORE_";

    /// <summary>
    /// Builds the configuration from <paramref name="args"/>: <c>--config</c> (or STORE_CONFIG) names an
    /// optional JSON file, then STORE_ variables, then flags. Each <c>--token TOKEN=TENANT</c> adds a token,
    /// each <c>--cache NAME=DIMENSION</c> a served semantic cache, each <c>--cache-operator TENANT</c> a cache operator.
    /// </summary>
    /// <exception cref="FormatException">A flag without a value, an unknown flag or a malformed <c>--token</c> or <c>--cache</c>.</exception>
    public static IConfiguration Build(string[] args, IDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var flags = new List<string>(args.Length);
        var tokens = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--token")
            {
                string pair = i + 1 < args.Length ? args[++i] : throw new FormatException("--token needs a value TOKEN=TENANT.");
                int eq = pair.LastIndexOf('=');
                if (eq <= 0 || eq == pair.Length - 1)
                {
                    throw new FormatException($"--token '{pair}' must be TOKEN=TENANT.");
                }

                tokens["Tokens:" + pair[..eq]] = pair[(eq + 1)..];
                continue;
            }

            if (arg is "--cache" or "--cache-operator")
            {
                string value = i + 1 < args.Length ? args[++i] : throw new FormatException($"{arg} needs a value ({(arg == "--cache" ? "NAME=DIMENSION" : "TENANT")}).");
                AddCacheFlag(arg, value, tokens);
                continue;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal) && !Flags.ContainsKey(arg.Split('=')[0]))
            {
                throw new FormatException($"Unknown option '{arg}'. Options: {string.Join(", ", Flags.Keys)}, --token TOKEN=TENANT, --cache NAME=DIMENSION, --cache-operator TENANT.");
            }

            flags.Add(arg);
        }

        var mappings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> flag in Flags)
        {
            mappings[flag.Key] = flag.Value;
        }

        IConfiguration early = new ConfigurationBuilder().AddInMemoryCollection(Environment(environment)).AddCommandLine([.. flags], mappings).Build();
        var builder = new ConfigurationBuilder();
        if (early["Config"] is { Length: > 0 } file)
        {
            builder.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        return builder.AddInMemoryCollection(Environment(environment)).AddCommandLine([.. flags], mappings).AddInMemoryCollection(tokens).Build();
    }

    /// <summary>Reads <see cref="StoreServerOptions"/> from <paramref name="configuration"/> (defaults for what is absent).</summary>
    /// <exception cref="FormatException">A value does not parse; the message names the setting.</exception>
    public static StoreServerOptions ToOptions(IConfiguration configuration, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new StoreServerOptions();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (IConfigurationSection token in configuration.GetSection("Tokens").GetChildren())
        {
            tokens[token.Key] = token.Value ?? string.Empty;
        }

        string? durability = configuration[nameof(DatabaseOptions.Durability)];
        return new StoreServerOptions
        {
            DataDirectory = configuration[nameof(StoreServerOptions.DataDirectory)] ?? defaults.DataDirectory,
            Port = Int(configuration, nameof(StoreServerOptions.Port), defaults.Port),
            AdminPort = AdminPort(configuration[nameof(StoreServerOptions.AdminPort)], defaults.AdminPort),
            BindAddress = Address(configuration[nameof(StoreServerOptions.BindAddress)], defaults.BindAddress),
            MaxFrameBytes = Int(configuration, nameof(StoreServerOptions.MaxFrameBytes), defaults.MaxFrameBytes),
            MaxInFlightPerConnection = Int(configuration, nameof(StoreServerOptions.MaxInFlightPerConnection), defaults.MaxInFlightPerConnection),
            MaxConnections = Int(configuration, nameof(StoreServerOptions.MaxConnections), defaults.MaxConnections),
            ReceiveBufferBytes = Int(configuration, nameof(StoreServerOptions.ReceiveBufferBytes), defaults.ReceiveBufferBytes),
            IdleTimeout = Duration(configuration, nameof(StoreServerOptions.IdleTimeout), defaults.IdleTimeout),
            ShutdownTimeout = Duration(configuration, nameof(StoreServerOptions.ShutdownTimeout), defaults.ShutdownTimeout),
            CertificatePath = NullIfEmpty(configuration[nameof(StoreServerOptions.CertificatePath)]),
            CertificatePassword = configuration[nameof(StoreServerOptions.CertificatePassword)],
            ServerName = configuration[nameof(StoreServerOptions.ServerName)] ?? defaults.ServerName,
            Tokens = tokens,
            SemanticCaches = SemanticCaches(configuration),
            CacheOperatorTenants = CacheOperators(configuration),
            DatabaseOptions = durability is null ? new DatabaseOptions() : new DatabaseOptions { Durability = Enum<Durability>(durability, nameof(DatabaseOptions.Durability)) },
            LoggerFactory = loggerFactory,
        };
    }

    /// <summary>The log level configured under <c>LogLevel</c> (default Information).</summary>
    public static LogLevel LogLevelOf(IConfiguration configuration) =>
        configuration["LogLevel"] is { } level ? Enum<LogLevel>(level, "LogLevel") : LogLevel.Information;

    private static IEnumerable<KeyValuePair<string, string?>> Environment(IDictionary<string, string?>? environment)
    {
        if (environment is null)
        {
            environment = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            {
                environment[(string)entry.Key] = entry.Value as string;
            }
        }

        foreach (KeyValuePair<string, string?> entry in environment)
        {
            if (entry.Key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                yield return new(entry.Key[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), entry.Value);
            }
        }
    }
}
