// mlnetcnn: parse the command line and hand each verb to the library; no ML logic lives here.
// First of all: standard streams closed by the caller are reopened on /dev/null, so no message lands in a runtime pipe.
MlNetCnn.Cli.Output.StandardStreams.Prepare();
// Numbers read and printed the same in every locale, on every thread (each run also sets it for its own flow).
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.DefaultThreadCurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
return await MlNetCnn.Cli.CliApplication.RunAsync(args);
