using Store.Bench.Cli;

return SuiteDispatcher.Run(args, SuiteRegistry.Create(), Console.Out, Console.Error);
