using System.CommandLine;
using DimReduce.Interactive.Documents;
using Spectre.Console;

namespace DimReduce.Cli.Commands;

/// <summary><c>dimreduce convert a.dib b.ipynb</c>: convert between Polyglot's .dib and Jupyter's .ipynb (either way).</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "The notebook to read (.dib or .ipynb)." };
        var destination = new Argument<string>("destination") { Description = "The notebook to write (.ipynb or .dib); written to a temporary file, then moved into place." };
        var command = new Command("convert", "Convert a notebook between .dib and .ipynb (cell kernels, sources and Polyglot metadata kept; .dib has no outputs).") { source, destination };
        command.SetAction(p => CliErrors.Run(() =>
        {
            string from = p.GetValue(source)!, to = p.GetValue(destination)!;
            var notebook = NotebookFile.Convert(from, to);
            int outputs = notebook.Cells.Sum(c => c.Outputs.Count);
            string dropped = to.EndsWith(".dib", StringComparison.OrdinalIgnoreCase) && outputs > 0 ? $" ({outputs} outputs not kept: .dib has none)" : "";
            AnsiConsole.MarkupLine($"[green]wrote[/] {Markup.Escape(to)}: {notebook.Cells.Count} cells{Markup.Escape(dropped)}");
            return 0;
        }));
        return command;
    }
}
