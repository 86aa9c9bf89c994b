using Microsoft.ML;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Interop.Onnx;

/// <summary>
/// ONNX's own checker (Debian's python3-onnx) accepts every exported file: <c>onnx.checker.check_model(m, full_check=True)</c>,
/// which also runs ONNX's shape inference, whose output shapes must be the ones the file declares. Skipped, saying why,
/// where python3-onnx is missing, unless MLNETCNN_REQUIRE_ONNX=1.
/// </summary>
[Collection(OnnxModelsCollection.Name)]
public sealed class OnnxCheckerTests
{
    // Checks the file, then prints each output's name and inferred shape ("N" for the batch) for the test to compare.
    private const string Script = """
        import sys, onnx, onnx.checker, onnx.shape_inference
        m = onnx.load(sys.argv[1])
        onnx.checker.check_model(m, full_check=True)
        inferred = onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
        values = {v.name: v for v in list(inferred.graph.value_info) + list(inferred.graph.output)}
        print("opset", [(o.domain, o.version) for o in m.opset_import], "ir", m.ir_version)
        for o in m.graph.output:
            dims = [d.dim_param or str(d.dim_value) for d in values[o.name].type.tensor_type.shape.dim]
            print("output", o.name, ",".join(dims))
        """;

    private readonly OnnxTestModels models;

    public OnnxCheckerTests(OnnxTestModels models) => this.models = models;

    [OnnxCheckerFact]
    public void OnnxCheckerAcceptsEveryExportWithFullCheck()
    {
        using var temp = new TempDirectory();
        foreach (var name in OnnxTestModels.Names)
        {
            var model = models.Get(name).Model;
            foreach (var featureMaps in new[] { false, true })
            {
                var path = temp.Combine($"{name}-{featureMaps}.onnx");
                models.Ml.Model.SaveSimpleCnnAsOnnx(model, path, featureMaps);
                var (code, output) = PythonOnnx.Run(Script, path);
                Assert.True(code == 0, $"{name} (feature maps {featureMaps}): onnx.checker refused the file:\n{output}");
                Assert.Contains("opset [('', 13)] ir 7", output);
                Assert.Contains($"output probabilities N,{model.Architecture.ClassCount}", output);
                Assert.Contains($"output logits N,{model.Architecture.ClassCount}", output);
                foreach (var layer in model.ConvLayers)
                {
                    var line = $"output {layer.Name} N,{layer.OutChannels},{layer.OutHeight},{layer.OutWidth}";
                    if (featureMaps) Assert.Contains(line, output);
                    else Assert.DoesNotContain($"output {layer.Name} ", output);
                }
            }
        }
    }
}
