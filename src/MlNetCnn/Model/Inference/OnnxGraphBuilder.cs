using Google.Protobuf;
using MlNetCnn.Model.Inference.Proto;

namespace MlNetCnn.Model;

/// <summary>
/// Appends nodes, constant tensors and typed inputs/outputs to an ONNX <see cref="GraphProto"/>, with names made
/// unique by the caller. Only the few operator shapes the SimpleCnn graph needs.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    public OnnxGraphBuilder(string name) => Graph = new GraphProto { Name = name };

    public GraphProto Graph { get; }

    /// <summary>Adds a node of <paramref name="opType"/> (default domain) and returns its (first) output name.</summary>
    public string Node(string opType, string output, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = output + "_" + opType };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds a float32 initializer of <paramref name="shape"/> and returns its name.</summary>
    public string FloatTensor(string name, float[] values, params long[] shape)
    {
        var expected = shape.Aggregate(1L, (a, b) => a * b);
        if (values.Length != expected)
            throw new ArgumentException($"Tensor '{name}' of shape [{string.Join(", ", shape)}] needs {expected} values, got {values.Length}.", nameof(values));
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(shape);
        tensor.FloatData.AddRange(values);
        Graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a 1-D int64 initializer and returns its name.</summary>
    public string Int64Tensor(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Declares a graph input of float32 with <paramref name="shape"/>; a null dimension is the symbolic batch <c>N</c>.</summary>
    public void Input(string name, string doc, params long?[] shape) => Graph.Input.Add(FloatValue(name, doc, shape));

    /// <summary>Declares a graph output of float32 with <paramref name="shape"/>; a null dimension is the symbolic batch <c>N</c>.</summary>
    public void Output(string name, string doc, params long?[] shape) => Graph.Output.Add(FloatValue(name, doc, shape));

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private static ValueInfoProto FloatValue(string name, string doc, long?[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var dimension in shape)
            tensorShape.Dim.Add(dimension is { } size ? new TensorShapeProto.Types.Dimension { DimValue = size } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        return new ValueInfoProto
        {
            Name = name,
            DocString = doc,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
        };
    }
}
