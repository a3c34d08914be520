using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace Store.Server;

/// <summary>Parsing of single configuration values, with errors that name the setting, its flag and its variable.</summary>
public static partial class ServerConfiguration
{
    private static int Int(IConfiguration configuration, string key, int fallback)
    {
        string? text = configuration[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"{Describe(key)} must be a whole number; got '{text}'.");
    }

    private static int? AdminPort(string? text, int? fallback)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (text.Equals("off", StringComparison.OrdinalIgnoreCase) || text == "-1")
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int port)
            ? port
            : throw new FormatException($"{Describe(nameof(StoreServerOptions.AdminPort))} must be a port number or 'off'; got '{text}'.");
    }

    private static IPAddress Address(string? text, IPAddress fallback)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (text.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return text == "*" ? IPAddress.Any : IPAddress.TryParse(text, out IPAddress? address)
            ? address
            : throw new FormatException($"{Describe(nameof(StoreServerOptions.BindAddress))} must be an IP address, 'localhost' or '*'; got '{text}'.");
    }

    /// <summary>A duration: a number of seconds ("30", "0.5") or a time span ("00:05:00"); "0" or "infinite" turn a timeout off.</summary>
    private static TimeSpan Duration(IConfiguration configuration, string key, TimeSpan fallback)
    {
        string? text = configuration[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (text.Equals("infinite", StringComparison.OrdinalIgnoreCase))
        {
            return Timeout.InfiniteTimeSpan;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan span)
            ? span
            : throw new FormatException($"{Describe(key)} must be seconds (e.g. 30) or a time span (e.g. 00:05:00); got '{text}'.");
    }

    private static T Enum<T>(string text, string key)
        where T : struct, Enum =>
        System.Enum.TryParse(text, ignoreCase: true, out T value) && System.Enum.IsDefined(value)
            ? value
            : throw new FormatException($"{Describe(key)} must be one of {string.Join(", ", System.Enum.GetNames<T>())}; got '{text}'.");

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string Describe(string key)
    {
        foreach (KeyValuePair<string, string> flag in Flags)
        {
            if (flag.Value == key)
            {
                return $"{key} ({flag.Key}, {EnvironmentPrefix}{key.ToUpperInvariant()})";
            }
        }

        return key;
    }
}
