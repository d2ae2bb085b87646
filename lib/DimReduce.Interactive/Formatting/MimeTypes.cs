namespace DimReduce.Interactive;

/// <summary>The mime types the engine produces.</summary>
public static class MimeTypes
{
    /// <summary><c>text/plain</c>: every output carries it.</summary>
    public const string PlainText = "text/plain";
    /// <summary><c>text/html</c>.</summary>
    public const string Html = "text/html";
    /// <summary><c>text/markdown</c>.</summary>
    public const string Markdown = "text/markdown";
    /// <summary><c>image/png</c> (base64 in the bundle).</summary>
    public const string Png = "image/png";
    /// <summary><c>application/json</c>.</summary>
    public const string Json = "application/json";
    /// <summary><c>application/vnd.plotly.v1+json</c>: a plotly figure, drawn natively by VS Code and JupyterLab with jupyterlab-plotly.</summary>
    public const string Plotly = "application/vnd.plotly.v1+json";
}
