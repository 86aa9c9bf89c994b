[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("mlnetcnn-bench")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("MlNetCnn.Tests")]
