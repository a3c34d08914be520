// Placeholder entry point until the server lands (issue 6).
Console.Error.WriteLine("store-server: not built yet");
return 1;
