using System.Reflection;
using Microsoft.ML;

namespace MlNetCnn.Transforms.Schema;

/// <summary>
/// Builds <see cref="SchemaShape"/> columns. ML.NET keeps SchemaShape.Column's constructor and SchemaShape.Create
/// internal, so estimators written outside ML.NET cannot describe new columns without this one reflective call;
/// it is confined here.
/// </summary>
internal static class SchemaShapes
{
    private static readonly MethodInfo CreateMethod =
        typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, new[] { typeof(DataViewSchema) })
        ?? throw new MissingMethodException(nameof(SchemaShape), "Create(DataViewSchema)");

    /// <summary>The shape of a concrete schema, as ML.NET's internal SchemaShape.Create gives it.</summary>
    public static SchemaShape FromSchema(DataViewSchema schema) => (SchemaShape)CreateMethod.Invoke(null, new object[] { schema })!;

    /// <summary>The input shape with the columns of <paramref name="added"/> appended (replacing same-named ones).</summary>
    public static SchemaShape Append(SchemaShape input, DataViewSchema added)
    {
        var addedShape = FromSchema(added);
        var names = addedShape.Select(c => c.Name).ToHashSet();
        return new SchemaShape(input.Where(c => !names.Contains(c.Name)).Concat(addedShape));
    }
}
