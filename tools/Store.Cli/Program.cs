using Store.Cli;

return args.Length == 0 ? Usage.Print(Console.Error, 2) : args[0] switch
{
    "demo" => IndexDemo.Run(args[1..]),
    "set" or "get" or "del" or "scan" or "inspect" or "verify" => KvCommands.Run(args[0], args[1..]),
    "help" or "--help" or "-h" => Usage.Print(Console.Out, 0),
    _ => Usage.Print(Console.Error, 2, $"unknown command '{args[0]}'"),
};
