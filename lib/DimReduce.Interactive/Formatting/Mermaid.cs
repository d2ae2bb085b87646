using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DimReduce.Interactive;

/// <summary>
/// A mermaid diagram (what a <c>#!mermaid</c> cell shows): <c>text/vnd.mermaid</c> (drawn natively by JupyterLab 4.1 and
/// later), <c>text/html</c> that draws it with mermaid.js, and the source as <c>text/plain</c>.
/// </summary>
/// <param name="Source">The diagram in mermaid's language (<c>graph TD; A--&gt;B</c>).</param>
public sealed record MermaidContent(string Source)
{
    /// <summary>The diagram source.</summary>
    public override string ToString() => Source;
}

/// <summary>The mime bundle of a <see cref="MermaidContent"/>.</summary>
/// <remarks>
/// Polyglot Notebooks drew <c>#!mermaid</c> cells with HTML that loaded mermaid 9.1.7 from the jsdelivr CDN. This HTML
/// loads mermaid.js <see cref="Version"/> (its single-file <c>dist/mermaid.min.js</c> build): first from the URLs in
/// <see cref="FormatterRegistry.MermaidJsUrls"/> (a local copy beside a built book), then from the CDN, so in VS Code a
/// diagram needs the network once. Until mermaid.js has drawn it, and where scripts do not run (GitHub's preview, an
/// untrusted notebook in JupyterLab), the output shows the diagram's source; a syntax error in the diagram is shown in
/// its place.
/// </remarks>
internal static class Mermaid
{
    /// <summary>The mermaid.js version the HTML loads from the CDN.</summary>
    public const string Version = "11.4.1";

    /// <summary>The CDN URL of <see cref="Version"/>.</summary>
    public const string CdnUrl = "https://cdn.jsdelivr.net/npm/mermaid@" + Version + "/dist/mermaid.min.js";

    /// <summary>The mime type JupyterLab (4.1 and later) renders natively.</summary>
    public const string MimeType = "text/vnd.mermaid";

    public static JsonObject Bundle(string source, IEnumerable<string> localUrls) => new()
    {
        [MimeType] = source,
        [MimeTypes.Html] = Html(source, localUrls),
        [MimeTypes.PlainText] = source,
    };

    private static string Js(object value) => JsonSerializer.Serialize(value).Replace("</", "<\\/", StringComparison.Ordinal);

    internal static string Html(string source, IEnumerable<string> localUrls)
    {
        string id = "dr-mermaid-" + Guid.NewGuid().ToString("N");
        var urls = localUrls.Append(CdnUrl).ToList();
        return $$"""
            <div id="{{id}}" class="dr-mermaid" style="background-color:white;overflow:auto"><pre class="dr-mermaid-source">{{WebUtility.HtmlEncode(source)}}</pre></div>
            <script type="text/javascript">
            (function () {
              var id = "{{id}}";
              var source = {{Js(source)}};
              var urls = {{Js(urls)}};
              function show(html) { var el = document.getElementById(id); if (el) el.innerHTML = html; }
              function escape(s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); }
              function problem(text) {
                show('<p style="color:#b00020;font-family:sans-serif">' + escape(text) + '</p><pre class="dr-mermaid-source">' + escape(source) + '</pre>');
              }
              function draw(m) {
                function bad(e) {
                  var left = document.getElementById("d" + id + "-svg");   // what mermaid leaves in the page after an error
                  if (left && left.parentNode) left.parentNode.removeChild(left);
                  problem("The mermaid diagram has an error: " + (e && e.message ? e.message : e));
                }
                try {
                  m.initialize({ startOnLoad: false, securityLevel: "strict", suppressErrorRendering: true });
                  m.render(id + "-svg", source).then(function (r) { show(r.svg); }, bad);
                } catch (e) { bad(e); }
              }
              function fail() { problem("mermaid.js could not be loaded, so the diagram is not drawn; its source:"); }
              if (window.mermaid && window.mermaid.render) { draw(window.mermaid); return; }
              if (window.__dimreduceMermaidQueue) { window.__dimreduceMermaidQueue.push([draw, fail]); return; }
              window.__dimreduceMermaidQueue = [[draw, fail]];
              function settle(ok) {
                var queue = window.__dimreduceMermaidQueue || [];
                window.__dimreduceMermaidQueue = null;
                queue.forEach(function (c) { if (ok) c[0](window.mermaid); else c[1](); });
              }
              (function load(i) {
                var s = document.createElement("script");
                s.src = urls[i];
                s.onload = function () { settle(!!(window.mermaid && window.mermaid.render)); };
                s.onerror = function () { if (i + 1 < urls.length) load(i + 1); else settle(false); };
                document.head.appendChild(s);
              })(0);
            })();
            </script>
            """;
    }
}
