using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DimReduce.Cli.Grading;

/// <summary>
/// Turns a solution cell into the student's version: each <c>// BEGIN SOLUTION</c> ... <c>// END SOLUTION</c> region
/// becomes a stub that compiles and says which task it belongs to.
/// </summary>
/// <remarks>
/// <para>A region inside a block (a method, accessor, lambda or local function body) becomes one line,
/// <c>throw new NotImplementedException("Task 'id' is not done yet: ...");</c>, at the region's indentation. Code after
/// the region in the same body is kept; the compiler only warns that it is unreachable.</para>
/// <para>A region at the top level of the cell (or in a type's body) keeps every declaration's signature and replaces its
/// body: methods, local functions, constructors, operators and accessors get a body that throws, expression-bodied ones
/// become <c>=&gt; throw ...</c>; fields of types, auto-properties and type shells are kept; top-level statements and variables are removed. So
/// later cells that call the student's methods still compile and fail with the task's message, as nbgrader's
/// <c>raise NotImplementedException()</c> stub does for Python.</para>
/// </remarks>
internal static class SolutionStubber
{
    private static readonly CSharpParseOptions ScriptOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    public static string StubMessage(string taskId, string? member) =>
        member is null
            ? $"Task '{taskId}' is not done yet: replace this line with your code."
            : $"Task '{taskId}' is not done yet: write the body of {member}.";

    /// <summary>The student's version of a solution cell's source (lines joined with <c>\n</c>).</summary>
    /// <exception cref="InvalidDataException">Markers are unbalanced or nested.</exception>
    public static string Stub(string source, string taskId, string where)
    {
        var lines = CellRoles.Lines(source);
        var regions = Regions(lines, CellRoles.BeginSolution, CellRoles.EndSolution, where);
        if (regions.Count == 0) return string.Join("\n", lines);
        string text = string.Join("\n", lines);
        var root = CSharpSyntaxTree.ParseText(text, ScriptOptions).GetRoot();
        var lineStarts = new int[lines.Length + 1];
        for (int i = 0; i < lines.Length; i++) lineStarts[i + 1] = lineStarts[i] + lines[i].Length + 1;

        var output = new List<string>();
        int next = 0;
        foreach (var (begin, end) in regions)
        {
            for (; next < begin; next++) output.Add(lines[next]);
            string indent = lines[begin][..(lines[begin].Length - lines[begin].TrimStart().Length)];
            int regionStart = lineStarts[begin], regionEnd = lineStarts[end] + lines[end].Length;
            bool inBody = root.DescendantNodes().OfType<BlockSyntax>()
                .Any(b => b.OpenBraceToken.Span.End <= regionStart && b.CloseBraceToken.SpanStart >= regionEnd);
            if (inBody)
            {
                output.Add($"{indent}throw new NotImplementedException({Literal(StubMessage(taskId, null))});");
            }
            else
            {
                string inner = string.Join("\n", lines[(begin + 1)..end]);
                string stubbed = StubDeclarations(inner, taskId);
                if (stubbed.Trim().Length == 0) output.Add($"{indent}// YOUR CODE HERE ({Literal(StubMessage(taskId, null))[1..^1]})");
                else output.AddRange(CellRoles.Lines(stubbed));
            }
            next = end + 1;
        }
        for (; next < lines.Length; next++) output.Add(lines[next]);
        return string.Join("\n", output);
    }

    /// <summary>Line pairs (begin, end) of marker regions; markers are lines containing the marker text (as nbgrader).</summary>
    public static List<(int Begin, int End)> Regions(string[] lines, string beginMarker, string endMarker, string where)
    {
        var regions = new List<(int, int)>();
        int open = -1;
        for (int i = 0; i < lines.Length; i++)
        {
            bool b = lines[i].Contains(beginMarker, StringComparison.Ordinal), e = lines[i].Contains(endMarker, StringComparison.Ordinal);
            if (b)
            {
                if (open >= 0) throw new InvalidDataException($"{where}, line {i + 1}: '{beginMarker}' inside the region opened on line {open + 1}; close it with '// {endMarker}' first (regions do not nest).");
                open = i;
            }
            else if (e)
            {
                if (open < 0) throw new InvalidDataException($"{where}, line {i + 1}: '{endMarker}' without a '{beginMarker}' before it.");
                regions.Add((open, i));
                open = -1;
            }
        }
        if (open >= 0) throw new InvalidDataException($"{where}, line {open + 1}: '{beginMarker}' is never closed; add '// {endMarker}' after the region.");
        return regions;
    }

    /// <summary>Keeps the declarations of top-level (or type-level) code and replaces their bodies with a throw.</summary>
    private static string StubDeclarations(string code, string taskId)
    {
        var root = CSharpSyntaxTree.ParseText(code, ScriptOptions).GetRoot();
        var edits = new List<(TextSpan Span, string Text)>();
        foreach (var member in root.ChildNodes()) Collect(member, code, taskId, edits, topLevel: true);
        var sb = new StringBuilder(code);
        foreach (var (span, text) in edits.OrderByDescending(e => e.Span.Start)) sb.Remove(span.Start, span.Length).Insert(span.Start, text);
        // Drop lines left empty by removed statements, but keep the layout of what remains.
        var kept = CellRoles.Lines(sb.ToString());
        var result = new List<string>();
        foreach (var line in kept)
        {
            if (line.Trim().Length == 0 && (result.Count == 0 || result[^1].Trim().Length == 0)) continue;
            result.Add(line);
        }
        while (result.Count > 0 && result[^1].Trim().Length == 0) result.RemoveAt(result.Count - 1);
        return string.Join("\n", result);
    }

    private static void Collect(SyntaxNode node, string code, string taskId, List<(TextSpan, string)> edits, bool topLevel)
    {
        switch (node)
        {
            case GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax f }:
                StubBody(f.Body, f.ExpressionBody, f.Identifier.Text, code, taskId, edits);
                break;
            case GlobalStatementSyntax g:
                edits.Add((FullLines(g, code), ""));
                break;
            case FieldDeclarationSyntax f when topLevel:
                // A script's top-level "var x = ...;" is a field: it is code to write, like any statement.
                edits.Add((FullLines(f, code), ""));
                break;
            case BaseMethodDeclarationSyntax m:
                StubBody(m.Body, m.ExpressionBody, MemberName(m), code, taskId, edits);
                break;
            case PropertyDeclarationSyntax p when p.ExpressionBody is not null:
                edits.Add((p.ExpressionBody.Span, $"=> throw new NotImplementedException({Literal(StubMessage(taskId, p.Identifier.Text))})"));
                break;
            case BasePropertyDeclarationSyntax p when p.AccessorList is not null:
                foreach (var a in p.AccessorList.Accessors) StubBody(a.Body, a.ExpressionBody, MemberName(p) + "." + a.Keyword.Text, code, taskId, edits);
                break;
            case TypeDeclarationSyntax t:
                foreach (var member in t.Members) Collect(member, code, taskId, edits, topLevel: false);
                break;
            default:
                break; // fields of types, enums, delegates, usings: kept as written
        }
    }

    private static string MemberName(SyntaxNode m) => m switch
    {
        MethodDeclarationSyntax md => md.Identifier.Text,
        ConstructorDeclarationSyntax c => c.Identifier.Text + " (constructor)",
        OperatorDeclarationSyntax o => "operator " + o.OperatorToken.Text,
        ConversionOperatorDeclarationSyntax c => "conversion to " + c.Type,
        PropertyDeclarationSyntax p => p.Identifier.Text,
        IndexerDeclarationSyntax => "this[]",
        _ => "this member",
    };

    private static void StubBody(BlockSyntax? body, ArrowExpressionClauseSyntax? arrow, string name, string code, string taskId, List<(TextSpan, string)> edits)
    {
        string message = Literal(StubMessage(taskId, name));
        if (arrow is not null)
        {
            edits.Add((arrow.Span, $"=> throw new NotImplementedException({message})"));
        }
        else if (body is not null)
        {
            // The closing brace's indentation is the declaration's; the throw goes one level (4 spaces) deeper.
            string indent = LineIndent(code, body.CloseBraceToken.SpanStart);
            var span = TextSpan.FromBounds(body.OpenBraceToken.Span.End, body.CloseBraceToken.SpanStart);
            edits.Add((span, $"\n{indent}    throw new NotImplementedException({message});\n{indent}"));
        }
    }

    private static string LineIndent(string code, int position)
    {
        int start = code.LastIndexOf('\n', Math.Max(0, position - 1)) + 1;
        int i = start;
        while (i < code.Length && code[i] is ' ' or '\t') i++;
        return code[start..i];
    }

    /// <summary>The statement's full lines (from the start of its first line to the end of its last line).</summary>
    private static TextSpan FullLines(SyntaxNode node, string code)
    {
        int start = code.LastIndexOf('\n', Math.Max(0, node.SpanStart - 1)) + 1;
        if (node.SpanStart == 0) start = 0;
        int end = code.IndexOf('\n', node.Span.End);
        end = end < 0 ? code.Length : end;
        return TextSpan.FromBounds(start, end);
    }

    public static string Literal(string s) => SymbolDisplay.FormatLiteral(s, quote: true);
}
