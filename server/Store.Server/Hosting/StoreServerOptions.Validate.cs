namespace Store.Server;

public sealed partial class StoreServerOptions
{
    /// <summary>Longest tenant name.</summary>
    public const int MaxTenantNameLength = 64;

    /// <summary>Throws <see cref="ArgumentException"/> (or <see cref="ArgumentOutOfRangeException"/>) naming the first bad field.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new ArgumentException($"{nameof(StoreServerOptions)}.{nameof(DataDirectory)} must name a directory.", nameof(DataDirectory));
        }

        Check(Port is >= 0 and <= 65535, nameof(Port), Port, "must be from 0 (any free port) to 65535");
        if (AdminPort is { } admin && admin != -1)
        {
            Check(admin is >= 0 and <= 65535, nameof(AdminPort), admin, "must be null or -1 (off), or from 0 (any free port) to 65535");
            Check(admin == 0 || admin != Port, nameof(AdminPort), admin, $"must differ from {nameof(Port)}");
        }

        ArgumentNullException.ThrowIfNull(BindAddress, nameof(BindAddress));
        Check(MaxFrameBytes is >= 1024 and <= 1 << 30, nameof(MaxFrameBytes), MaxFrameBytes, "must be from 1,024 to 1,073,741,824 bytes");
        Check(MaxInFlightPerConnection is >= 1 and <= 65536, nameof(MaxInFlightPerConnection), MaxInFlightPerConnection, "must be from 1 to 65,536");
        Check(ReceiveBufferBytes is >= 4096 and <= 1 << 20, nameof(ReceiveBufferBytes), ReceiveBufferBytes, "must be from 4,096 to 1,048,576 bytes");
        Check(MaxConnections is >= 1 and <= 1_000_000, nameof(MaxConnections), MaxConnections, "must be from 1 to 1,000,000");
        Check(IdleTimeout == Timeout.InfiniteTimeSpan || IdleTimeout == TimeSpan.Zero || (IdleTimeout >= TimeSpan.FromMilliseconds(100) && IdleTimeout <= TimeSpan.FromDays(365)),
            nameof(IdleTimeout), IdleTimeout, "must be 0 or infinite (off), or from 100 ms to 365 days");
        Check(ShutdownTimeout > TimeSpan.Zero && ShutdownTimeout <= TimeSpan.FromHours(1), nameof(ShutdownTimeout), ShutdownTimeout, "must be more than 0 and at most 1 hour");
        if (string.IsNullOrEmpty(ServerName) || ServerName.Length > 200)
        {
            throw new ArgumentException($"{nameof(StoreServerOptions)}.{nameof(ServerName)} must be 1 to 200 characters.", nameof(ServerName));
        }

        ValidateTokens();
        ValidateCaches();
        ValidateCertificate();
        ArgumentNullException.ThrowIfNull(DatabaseOptions, nameof(DatabaseOptions));
        DatabaseOptions.Validate();
    }

    /// <summary>True if <paramref name="tenant"/> is a valid tenant name (see <see cref="Tokens"/>).</summary>
    public static bool IsValidTenantName(string? tenant)
    {
        if (string.IsNullOrEmpty(tenant) || tenant.Length > MaxTenantNameLength)
        {
            return false;
        }

        foreach (char c in tenant)
        {
            if (c == ':' || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    private void ValidateTokens()
    {
        ArgumentNullException.ThrowIfNull(Tokens, nameof(Tokens));
        foreach (KeyValuePair<string, string> entry in Tokens)
        {
            if (string.IsNullOrEmpty(entry.Key))
            {
                throw new ArgumentException($"{nameof(StoreServerOptions)}.{nameof(Tokens)} has an empty token; every token must be at least one character.", nameof(Tokens));
            }

            if (!IsValidTenantName(entry.Value))
            {
                throw new ArgumentException(
                    $"{nameof(StoreServerOptions)}.{nameof(Tokens)}: tenant '{entry.Value}' must be 1 to {MaxTenantNameLength} characters without ':' or control characters.", nameof(Tokens));
            }
        }
    }

    private void ValidateCertificate()
    {
        if (CertificatePath is null)
        {
            if (CertificatePassword is not null)
            {
                throw new ArgumentException($"{nameof(StoreServerOptions)}.{nameof(CertificatePassword)} is set without a {nameof(CertificatePath)}.", nameof(CertificatePassword));
            }

            return;
        }

        if (!File.Exists(CertificatePath))
        {
            throw new ArgumentException($"{nameof(StoreServerOptions)}.{nameof(CertificatePath)} '{CertificatePath}' does not exist; give the path of a PKCS#12 (.pfx) file.", nameof(CertificatePath));
        }
    }

    private static void Check(bool ok, string field, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(field, value, $"{nameof(StoreServerOptions)}.{field} {rule}.");
        }
    }
}
