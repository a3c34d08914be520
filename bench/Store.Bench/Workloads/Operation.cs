namespace Store.Bench.Workloads;

internal enum OperationKind : byte
{
    Read,
    Update,
    Scan,
    Insert,
}

/// <summary>One pre-generated operation: its kind, the scan length (scans only) and the loaded key it targets.</summary>
internal readonly record struct Operation(OperationKind Kind, ushort ScanLength, int Key);
