using KmsImport.Cli;

return await CliApplication.RunAsync(args, CliContext.CreateSystem()).ConfigureAwait(false);
