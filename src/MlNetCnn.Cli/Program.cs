// mlnetcnn: parse the command line and hand each verb to the library; no ML logic lives here.
return await MlNetCnn.Cli.CliApplication.RunAsync(args);
