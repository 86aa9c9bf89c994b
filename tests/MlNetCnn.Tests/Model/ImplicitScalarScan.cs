using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using MlNetCnn.Tests.TestSupport;

namespace MlNetCnn.Tests.Model;

/// <summary>
/// Finds libtorch Scalars made as temporaries (the HeldScalars rule), by reading C# with the compiler's semantic model:
/// a number converted to a TorchSharp <c>Scalar</c> anywhere but the initializer of a <c>using</c> local or a static
/// readonly field; a Tensor operator taking a number or a Scalar (<c>t * 0.5</c>, <c>1 - t</c>), or adding tensors
/// (<c>a + b</c> calls <c>add(b)</c>, whose alpha of 1 is a temporary); and a TorchSharp call whose
/// overload hands a default Scalar to a sibling (<c>add_(t)</c> → <c>add_(t, 1)</c>: an overload with the same
/// parameters plus one Scalar exists).
/// </summary>
internal static class ImplicitScalarScan
{
    /// <summary>One finding: file, 1-based line, the rule and the code.</summary>
    public sealed record Finding(string File, int Line, string Rule, string Code)
    {
        public override string ToString() => $"{File}:{Line}: {Rule}: {Code}";
    }

    /// <summary>Findings in the <paramref name="scanned"/> files, compiled together with <paramref name="context"/> so every symbol resolves.</summary>
    public static IReadOnlyList<Finding> Scan(IEnumerable<(string Path, string Text)> scanned, IEnumerable<(string Path, string Text)> context)
    {
        var scannedFiles = scanned.ToList();
        var compilation = SourceCompilation.Compile(scannedFiles.Concat(context), "MlNetCnn.Core");
        var scannedTrees = compilation.SyntaxTrees.Take(scannedFiles.Count);
        var findings = new List<Finding>();
        foreach (var tree in scannedTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                var rule = node switch
                {
                    ExpressionSyntax e when ConvertsNumberToScalar(model, e) && !IsHeldInitializer(e) => "a number becomes a temporary Scalar",
                    BinaryExpressionSyntax or AssignmentExpressionSyntax when TensorOperatorMakesScalar(model, node) is { } why => why,
                    InvocationExpressionSyntax call when PassesDefaultScalar(model, call) is { } why => why,
                    _ => null,
                };
                if (rule != null)
                    findings.Add(new Finding(tree.FilePath, node.GetLocation().GetLineSpan().StartLinePosition.Line + 1, rule, node.ToString()));
            }
        }
        return findings;
    }

    private static bool IsScalar(ITypeSymbol? type) =>
        type is { Name: "Scalar" } && type.ContainingNamespace?.ToDisplayString() == "TorchSharp";

    private static bool IsTensor(ITypeSymbol? type) =>
        type is { Name: "Tensor" } && type.ContainingType is { Name: "torch" };

    private static bool FromTorchSharp(ISymbol symbol) =>
        symbol.ContainingAssembly?.Name.StartsWith("TorchSharp", StringComparison.Ordinal) == true;

    private static bool ConvertsNumberToScalar(SemanticModel model, ExpressionSyntax expression)
    {
        // `Defaults.Spread`: the member access is judged, not again its name part.
        if (expression.Parent is MemberAccessExpressionSyntax access && access.Name == expression) return false;
        var info = model.GetTypeInfo(expression);
        return info.Type is { } type && !IsScalar(type) && IsScalar(info.ConvertedType);
    }

    // `using Scalar x = 0.5;` and readonly fields (`static readonly Scalar One = 1;`, an optimizer's constants) are the held forms.
    private static bool IsHeldInitializer(ExpressionSyntax expression)
    {
        if (expression.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } })
            return false;
        return declaration.Parent switch
        {
            LocalDeclarationStatementSyntax local => local.UsingKeyword != default,
            UsingStatementSyntax => true,
            FieldDeclarationSyntax field => field.Modifiers.Any(SyntaxKind.ReadOnlyKeyword),
            _ => false,
        };
    }

    private static string? TensorOperatorMakesScalar(SemanticModel model, SyntaxNode node)
    {
        if (model.GetSymbolInfo(node).Symbol is not IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator } op || !FromTorchSharp(op))
            return null;
        if (op.Parameters.Any(p => !IsTensor(p.Type)))
            return $"Tensor operator {op.Name} with a number or Scalar operand";
        // a + b is a.add(b), which passes add(b, 1): judged as that call would be.
        var method = op.Name switch { "op_Addition" => "add", "op_Subtraction" => "sub", _ => null };
        return method != null && HasFullerOverload(op.Parameters[0].Type, method, op.Parameters.Skip(1).Select(p => p.Type).ToList()) is { } fuller
            ? $"Tensor operator {op.Name} is {method}(…) without its Scalar '{fuller.Parameters[^1].Name}'"
            : null;
    }

    private static string? PassesDefaultScalar(SemanticModel model, InvocationExpressionSyntax call)
    {
        if (model.GetSymbolInfo(call).Symbol is not IMethodSymbol method || !FromTorchSharp(method)) return null;
        var fuller = HasFullerOverload(method.ContainingType, method.Name, method.Parameters.Select(p => p.Type).ToList());
        return fuller is null ? null : $"{method.Name} without its Scalar '{fuller.Parameters[^1].Name}' passes a temporary one";
    }

    // An overload with the same parameters plus a trailing Scalar: the shorter one calls it with a fresh Scalar (add_(t) → add_(t, 1)).
    private static IMethodSymbol? HasFullerOverload(ITypeSymbol type, string name, IReadOnlyList<ITypeSymbol> parameters) =>
        type.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault(m =>
            m.Parameters.Length == parameters.Count + 1 && IsScalar(m.Parameters[^1].Type)
            && m.Parameters.Take(parameters.Count).Select(p => p.Type).SequenceEqual(parameters, SymbolEqualityComparer.Default));
}
