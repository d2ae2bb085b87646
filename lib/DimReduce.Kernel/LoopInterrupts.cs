using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DimReduce.Kernel;

/// <summary>
/// Makes the loops of a cell stoppable: a check of the cell's cancellation token is inserted at the top of every loop
/// body (<c>while</c>, <c>do</c>, <c>for</c>, <c>foreach</c>) written in the cell, so an interrupt stops even
/// <c>while (true) { }</c> with an <see cref="OperationCanceledException"/> instead of abandoning its thread.
/// </summary>
/// <remarks>
/// Roslyn scripting checks a cancellation token only while compiling (roslyn #72179); .NET cannot stop a thread from
/// outside. Checks are inserted on the loop's own line, so line numbers in errors and stack traces stay those of the
/// cell. Code in referenced libraries is not changed (the library's long loops take their own tokens). A cell with
/// syntax errors, or one run by another kernel (<c>#!markdown</c>, <c>#!html</c>...), is left as it is.
/// </remarks>
internal static class LoopInterrupts
{
    internal const string Check = "global::DimReduce.Interactive.InteractiveSession.CurrentCancellationToken.ThrowIfCancellationRequested();";

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Script);

    public static string Instrument(string code)
    {
        if (code.Length == 0 || CodeIntelligence.OtherKernel().IsMatch(code)) return code;
        // Magic lines are blanked to spaces of the same length, so positions in the parsed text are positions in the cell.
        var tree = CSharpSyntaxTree.ParseText(CodeIntelligence.Blank(code), ParseOptions);
        if (tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)) return code;
        var edits = new List<(int Position, string Text)>();
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            StatementSyntax? body = node switch
            {
                WhileStatementSyntax w => w.Statement,
                DoStatementSyntax d => d.Statement,
                ForStatementSyntax f => f.Statement,
                CommonForEachStatementSyntax f => f.Statement,
                _ => null,
            };
            if (body is null) continue;
            if (body is BlockSyntax block)
            {
                edits.Add((block.OpenBraceToken.Span.End, " " + Check));
            }
            else
            {
                edits.Add((body.SpanStart, "{ " + Check + " "));
                edits.Add((body.Span.End, " }"));
            }
        }
        if (edits.Count == 0) return code;
        var text = new System.Text.StringBuilder(code);
        foreach (var (position, insert) in edits.OrderByDescending(e => e.Position)) text.Insert(position, insert);
        return text.ToString();
    }
}
