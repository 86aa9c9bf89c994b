[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("mlnetcnn-bench")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("MlNetCnn.Tests")]
// The CLI tests link TestSupport/SyntheticCifar10.cs, which writes files in the internal Cifar10Format layout.
// The CLI itself gets no internals: it uses the public surface only.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("MlNetCnn.Cli.Tests")]
