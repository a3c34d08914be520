using Store.Bench.Cli;

// "serve-store ARGS": this binary runs the Store server itself (the server suite's --server-process self),
// for machines with no .NET SDK where the harness is published self-contained.
if (args is [Store.Bench.Suites.Server.StoreServerProcess.ServeCommand, .. var serverArguments])
{
    return await Store.Server.ServerProgram.RunAsync(serverArguments).ConfigureAwait(false);
}

return SuiteDispatcher.Run(args, SuiteRegistry.Create(), Console.Out, Console.Error);
