namespace Store.Bench.Peers;

/// <summary>
/// The per-entry work of every scan, the same for all peers: read the key length and the value and
/// fold them in order, so the self-check can tell a wrong order or a wrong value from a right one.
/// </summary>
internal static class ScanChecksum
{
    public static long Fold(long checksum, int keyLength, long value) => (checksum * 31) + value + keyLength;
}
