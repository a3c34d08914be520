using System.Diagnostics;
using System.Runtime.CompilerServices;
using Store.Bench.Measurement;
using Store.Bench.Peers;

namespace Store.Bench.Workloads;

/// <summary>
/// The timed loops, generic over the adapter struct so each structure gets its own specialised,
/// fully optimised copy. Each operation is timed from the end of the previous one (one clock read
/// per operation, the same for every peer); the stop flag is polled every 64 operations.
/// </summary>
internal static class OperationLoop
{
    public const int StopCheckInterval = 64;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TIndex>(TIndex index, WorkerInput input, WorkerState state, StopSignal stop)
        where TIndex : struct, IOrderedIndex
    {
        var operations = input.Operations;
        int mask = operations.Length - 1;
        int position = input.Offset & mask;
        var keys = input.Keys;
        var fresh = input.Fresh;
        int freshUsed = 0;
        bool exhausted = false;
        long value = input.ValueBase;
        long checksum = 0;
        long anomalies = 0;
        long count = 0;
        ref var latency = ref state.Latency;
        long previous = Stopwatch.GetTimestamp();
        state.StartTicks = previous;
        do
        {
            for (int i = 0; i < StopCheckInterval; i++)
            {
                var operation = operations[position];
                position = (position + 1) & mask;
                switch (operation.Kind)
                {
                    case OperationKind.Read:
                        if (index.Get(keys[operation.Key], out long found))
                        {
                            checksum += found;
                        }
                        else
                        {
                            anomalies++;
                        }

                        break;
                    case OperationKind.Update:
                        index.Upsert(keys[operation.Key], ++value);
                        break;
                    case OperationKind.Scan:
                        if (index.ScanFrom(keys[operation.Key], operation.ScanLength, ref checksum) == 0)
                        {
                            anomalies++;
                        }

                        break;
                    default:
                        if (freshUsed == input.FreshCount)
                        {
                            freshUsed = 0;
                            exhausted = true;
                        }

                        if (!index.Insert(fresh![input.FreshStart + freshUsed++], ++value) && !exhausted)
                        {
                            anomalies++;
                        }

                        break;
                }

                long now = Stopwatch.GetTimestamp();
                latency.Record(now - previous);
                previous = now;
            }

            count += StopCheckInterval;
        }
        while (!stop.IsSet);

        state.EndTicks = previous;
        state.Operations = count;
        state.Checksum = checksum;
        state.Anomalies = anomalies;
        state.FreshExhausted = exhausted;
        input.FreshUsed = exhausted ? input.FreshCount : freshUsed;
    }

    /// <summary>Inserts keys [start, end) of <paramref name="keys"/> (value = key index), timing each insert.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Load<TIndex>(TIndex index, KeySet keys, int start, int end, WorkerState state)
        where TIndex : struct, IOrderedIndex
    {
        long anomalies = 0;
        ref var latency = ref state.Latency;
        long previous = Stopwatch.GetTimestamp();
        state.StartTicks = previous;
        for (int i = start; i < end; i++)
        {
            if (!index.Insert(keys[i], i))
            {
                anomalies++;
            }

            long now = Stopwatch.GetTimestamp();
            latency.Record(now - previous);
            previous = now;
        }

        state.EndTicks = previous;
        state.Operations = end - start;
        state.Anomalies = anomalies;
    }
}
