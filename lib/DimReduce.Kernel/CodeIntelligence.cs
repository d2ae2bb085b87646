using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using DimReduce.Interactive;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.QuickInfo;
using Microsoft.CodeAnalysis.Tags;
using Microsoft.CodeAnalysis.Text;

namespace DimReduce.Kernel;

/// <summary>The answer to an is_complete request: <c>complete</c>, <c>incomplete</c> (with the next line's indent) or <c>invalid</c>.</summary>
/// <param name="Status">complete, incomplete or invalid.</param>
/// <param name="Indent">For incomplete code, the indent of the next line; otherwise null.</param>
public sealed record CompletenessResult(string Status, string? Indent);

/// <summary>One completion candidate.</summary>
/// <param name="Text">The text that replaces the span.</param>
/// <param name="Kind">A Jupyter completion type: function, property, field, class, namespace, keyword, variable...</param>
public sealed record CompletionCandidate(string Text, string Kind);

/// <summary>Completion candidates and the span of the cell (UTF-16 offsets) they replace.</summary>
/// <param name="Start">Start of the replaced span.</param>
/// <param name="End">End of the replaced span (the cursor).</param>
/// <param name="Items">Candidates whose text starts with what was typed in the span, best first.</param>
public sealed record CompletionResult(int Start, int End, IReadOnlyList<CompletionCandidate> Items);

/// <summary>What the code at the cursor is: its signature and documentation.</summary>
/// <param name="PlainText">Signature and documentation as plain text.</param>
/// <param name="Markdown">The same as markdown (the signature in a csharp code block).</param>
public sealed record InspectionResult(string PlainText, string Markdown);

/// <summary>
/// Code intelligence for notebook cells, from Roslyn: completeness of a cell (is_complete), completion (Roslyn's
/// completion service) and symbol documentation (Roslyn's quick info), with the cells run so far as context.
/// </summary>
/// <remarks>
/// <para>The context is a script document made of the successful C# cells so far (using directives lifted to the top,
/// magics blanked) followed by the cell being edited, compiled against the same references and imports as
/// <see cref="InteractiveSession"/>. Assemblies a cell added with <c>#r</c> are not in that context.</para>
/// <para>Documentation of .NET types comes from the XML files of the reference pack
/// (<c>packs/Microsoft.NETCore.App.Ref</c>) when it is installed; the shared runtime has none.</para>
/// </remarks>
public sealed partial class CodeIntelligence
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Parse, SourceCodeKind.Script);
    private readonly List<string> _usings = [];
    private readonly StringBuilder _body = new();
    private readonly object _gate = new();
    private AdhocWorkspace? _workspace;
    private DocumentId? _document;

    /// <summary>Adds a cell that ran successfully to the context of later completions.</summary>
    public void AddSubmission(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        lock (_gate)
        {
            foreach (string line in Blank(code).Split('\n'))
            {
                if (UsingDirective().IsMatch(line)) _usings.Add(line.Trim());
                else _body.Append(line).Append('\n');
            }
            _body.Append(";\n");
        }
    }

    /// <summary>
    /// Whether a cell is ready to run: <c>incomplete</c> when Roslyn says more input is needed (an open brace,
    /// parenthesis or string), <c>invalid</c> when it is complete but has syntax errors, else <c>complete</c>.
    /// </summary>
    public static CompletenessResult IsComplete(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (OtherKernel().IsMatch(code) || HelpRequest().IsMatch(code)) return new("complete", null);
        var tree = CSharpSyntaxTree.ParseText(Blank(code), ParseOptions);
        if (!SyntaxFactory.IsCompleteSubmission(tree))
        {
            int depth = 0;
            foreach (var token in tree.GetRoot().DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.OpenBraceToken) && !token.IsMissing) depth++;
                else if (token.IsKind(SyntaxKind.CloseBraceToken) && !token.IsMissing) depth--;
            }
            return new("incomplete", new string(' ', 4 * Math.Max(depth, 0)));
        }
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) ? new("invalid", null) : new("complete", null);
    }

    /// <summary>Completion candidates at <paramref name="cursor"/> (a UTF-16 offset in <paramref name="code"/>).</summary>
    public CompletionResult Complete(string code, int cursor)
    {
        ArgumentNullException.ThrowIfNull(code);
        cursor = Math.Clamp(cursor, 0, code.Length);
        lock (_gate)
        {
            var (document, offset) = Document(code);
            var service = CompletionService.GetService(document);
            if (service is null) return new(cursor, cursor, []);
            var list = service.GetCompletionsAsync(document, offset + cursor).GetAwaiter().GetResult();
            int start = Math.Clamp(list.Span.Start - offset, 0, cursor);
            string typed = code[start..cursor];
            var items = list.ItemsList
                .Where(i => i.FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .OrderBy(i => i.FilterText.StartsWith(typed, StringComparison.Ordinal) ? 0 : 1)
                .ThenBy(i => i.SortText, StringComparer.OrdinalIgnoreCase)
                .Select(i => new CompletionCandidate(i.DisplayText, Kind(i.Tags)))
                .DistinctBy(i => i.Text)
                .ToList();
            return new(start, cursor, items);
        }
    }

    /// <summary>The signature and documentation of the symbol at (or just before) <paramref name="cursor"/>, or null.</summary>
    public InspectionResult? Inspect(string code, int cursor)
    {
        ArgumentNullException.ThrowIfNull(code);
        cursor = Math.Clamp(cursor, 0, code.Length);
        lock (_gate)
        {
            var (document, offset) = Document(code);
            var service = QuickInfoService.GetService(document);
            if (service is null) return null;
            // The cursor usually sits right after the name (hover sends the position inside it).
            foreach (int position in new[] { cursor, cursor - 1 }.Where(p => p >= 0 && p <= code.Length).Distinct())
            {
                var info = service.GetQuickInfoAsync(document, offset + position).GetAwaiter().GetResult();
                if (info is null || info.Sections.IsDefaultOrEmpty) continue;
                string description = info.Sections.FirstOrDefault(s => s.Kind == QuickInfoSectionKinds.Description)?.Text ?? "";
                var rest = info.Sections.Where(s => s.Kind != QuickInfoSectionKinds.Description && s.Text.Length > 0).Select(s => s.Text).ToList();
                if (description.Length == 0 && rest.Count == 0) continue;
                string docs = string.Join("\n\n", rest);
                string plain = docs.Length > 0 ? $"{description}\n\n{docs}" : description;
                string markdown = $"```csharp\n{description}\n```" + (docs.Length > 0 ? $"\n\n{docs}" : "");
                return new(plain, markdown);
            }
            return null;
        }
    }

    /// <summary>Loads Roslyn's workspace services (a few seconds the first time), so the first request is fast.</summary>
    public void WarmUp()
    {
        Complete("Console.Wri", 11);
        Inspect("Console.WriteLine", 17);
    }

    private (Document Document, int Offset) Document(string code)
    {
        var prefix = new StringBuilder();
        foreach (string u in _usings) prefix.Append(u).Append('\n');
        prefix.Append(_body);
        string text = prefix + Blank(code);
        if (_workspace is null)
        {
            _workspace = new AdhocWorkspace(MefHostServices.DefaultHost);
            var project = ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Create(), "cells", "cells", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: InteractiveSession.DefaultUsings, allowUnsafe: true),
                parseOptions: ParseOptions,
                metadataReferences: References.Value,
                isSubmission: true);
            var added = _workspace.AddProject(project);
            _document = _workspace.AddDocument(DocumentInfo.Create(DocumentId.CreateNewId(added.Id), "cell.csx",
                loader: TextLoader.From(TextAndVersion.Create(SourceText.From(text), VersionStamp.Create())),
                sourceCodeKind: SourceCodeKind.Script)).Id;
        }
        var solution = _workspace.CurrentSolution.WithDocumentText(_document!, SourceText.From(text));
        return (solution.GetDocument(_document!)!, prefix.Length);
    }

    private static string Kind(ImmutableArray<string> tags)
    {
        foreach (string tag in tags)
        {
            switch (tag)
            {
                case WellKnownTags.Method or WellKnownTags.ExtensionMethod: return "function";
                case WellKnownTags.Property: return "property";
                case WellKnownTags.Field or WellKnownTags.Constant or WellKnownTags.EnumMember: return "field";
                case WellKnownTags.Class or WellKnownTags.Structure or WellKnownTags.Interface or WellKnownTags.Enum or WellKnownTags.Delegate or WellKnownTags.TypeParameter: return "class";
                case WellKnownTags.Namespace: return "module";
                case WellKnownTags.Keyword: return "keyword";
                case WellKnownTags.Local or WellKnownTags.Parameter or WellKnownTags.RangeVariable: return "variable";
                case WellKnownTags.Event: return "event";
            }
        }
        return "text";
    }

    /// <summary>Magic lines (<c>#!...</c>, <c>#r</c>, <c>#i</c>, <c>#load</c>) become spaces, so offsets stay those of the cell.</summary>
    internal static string Blank(string code) => MagicLine().Replace(code.Replace("\r\n", " \n", StringComparison.Ordinal), m => new string(' ', m.Length));

    [GeneratedRegex(@"^[ \t]*#(?:!|r\b|i\b|load\b)[^\n]*", RegexOptions.Multiline)]
    private static partial Regex MagicLine();

    [GeneratedRegex(@"^\s*using\s+(?:static\s+)?(?:\w+\s*=\s*)?[\w.]+(?:<[\w\s,.<>]*>)?\s*;\s*$")]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"^\s*#!(?:markdown|md|html|mermaid|javascript|js|fsharp|f#|fs|pwsh|powershell|sql|kql|http|value)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    internal static partial Regex OtherKernel();

    [GeneratedRegex(@"^\s*[A-Za-z_][\w.]*(?:<[\w\s,.]*>)?\s*\?\??\s*$")]
    private static partial Regex HelpRequest();

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var refs = new List<MetadataReference>();
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string? docsDir = ReferencePackDocs(runtimeDir);
        foreach (var file in Directory.GetFiles(runtimeDir, "*.dll").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            bool wanted = (name.StartsWith("System.", StringComparison.Ordinal) && !name.StartsWith("System.Private.", StringComparison.Ordinal))
                || name is "System" or "netstandard" or "mscorlib" or "Microsoft.CSharp" or "Microsoft.Win32.Primitives";
            if (wanted && IsManaged(file)) refs.Add(Reference(file, docsDir is null ? null : Path.Combine(docsDir, name + ".xml")));
        }
        // Types of System.Private.CoreLib are documented in System.Runtime.xml of the reference pack.
        refs.Add(Reference(typeof(object).Assembly.Location, docsDir is null ? null : Path.Combine(docsDir, "System.Runtime.xml")));
        foreach (var assembly in InteractiveSession.DefaultAssemblies)
            refs.Add(Reference(assembly.Location, Path.ChangeExtension(assembly.Location, ".xml")));
        return [.. refs];
    });

    private static MetadataReference Reference(string path, string? xml) =>
        MetadataReference.CreateFromFile(path, documentation: xml is not null && File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null);

    /// <summary>The reference pack's folder of XML docs for the running runtime version (or the newest of its major version).</summary>
    private static string? ReferencePackDocs(string runtimeDir)
    {
        try
        {
            // runtimeDir is <dotnet>/shared/Microsoft.NETCore.App/<version>/
            var version = new DirectoryInfo(runtimeDir).Name;
            string root = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
            string packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
            if (!Directory.Exists(packs)) return null;
            string tfm = $"net{Environment.Version.Major}.0";
            var candidates = Directory.GetDirectories(packs)
                .Select(d => Path.Combine(d, "ref", tfm))
                .Where(d => File.Exists(Path.Combine(d, "System.Runtime.xml")))
                .OrderByDescending(d => d.Contains(Path.DirectorySeparatorChar + version + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .ThenByDescending(d => d, StringComparer.Ordinal)
                .ToList();
            return candidates.FirstOrDefault();
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static bool IsManaged(string file)
    {
        try { AssemblyName.GetAssemblyName(file); return true; }
        catch (BadImageFormatException) { return false; }
    }
}
