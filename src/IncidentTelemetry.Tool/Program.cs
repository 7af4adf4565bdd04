using IncidentTelemetry.Tool;

return RulesCli.Run(args, Console.Out, Console.Error);
