namespace Store.Bench.Cli;

/// <summary>The command line is wrong; the dispatcher prints the message and the usage, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
