namespace Store;

/// <summary>A value read from a keyspace with its version and expiry.</summary>
/// <param name="Value">The value's bytes.</param>
/// <param name="Version">Version assigned when the entry was last written (grows across the database).</param>
/// <param name="ExpiresAtUnixMs">Absolute expiry in Unix milliseconds; 0 when it never expires.</param>
public readonly record struct StoredValue(byte[] Value, long Version, long ExpiresAtUnixMs)
{
    /// <summary>Expiry time, or null if the entry never expires.</summary>
    public DateTimeOffset? ExpiresAt => ExpiresAtUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAtUnixMs);
}
