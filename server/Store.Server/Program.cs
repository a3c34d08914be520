using Store.Server;

return await ServerProgram.RunAsync(args).ConfigureAwait(false);
