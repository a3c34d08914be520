namespace Store.Bench.Measurement;

/// <summary>
/// Workers of a run did not finish (a livelock or deadlock in the structure). They keep spinning, so
/// nothing measured after this would be sound: the suite stops instead of skipping to the next peer.
/// </summary>
internal sealed class StuckWorkersException(string message) : Exception(message);
