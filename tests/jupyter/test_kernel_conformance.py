"""The Jupyter project's kernel conformance suite (jupyter_kernel_test) run against the DimReduce C# kernel.

Run through run-conformance.sh, which builds the CLI, installs the kernelspec into a temporary prefix and points
JUPYTER_PATH at it. The kernel name can be overridden with DIMREDUCE_KERNEL_NAME.
"""
import os
import unittest

import jupyter_kernel_test


class DimReduceKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("DIMREDUCE_KERNEL_NAME", "dimreduce-csharp")

    language_name = "csharp"
    file_extension = ".cs"

    code_hello_world = 'Console.WriteLine("hello, world");'
    code_stderr = 'Console.Error.WriteLine("oops");'

    completion_samples = [
        {"text": "Console.Wri", "matches": {"Write", "WriteLine"}},
        {"text": "Math.Sq", "matches": {"Sqrt"}},
        {"text": 'var s = "abc"; s.ToUpperInv', "matches": {"ToUpperInvariant"}},
    ]

    complete_code_samples = [
        "1 + 1",
        "var x = 1;",
        "int Add(int a, int b) => a + b;",
        '#r "nuget: Plotly.NET"',
        "for (int i = 0; i < 3; i++) { }",
    ]
    incomplete_code_samples = [
        "for (int i = 0; i < 3; i++) {",
        "int Add(int a,",
        'var s = @"abc',
    ]
    invalid_code_samples = ["var 1x = 2;", "int x = ;", "}"]

    # `Symbol?` shows the symbol's documentation in the pager (a "page" payload), as IPython's `?` does.
    code_page_something = "Console.WriteLine?"

    code_generate_error = 'throw new InvalidOperationException("boom");'

    code_execute_result = [
        {"code": "6*7", "result": "42"},
        {"code": '"hi"', "result": "hi"},
        {"code": "new[] { 1, 2, 3 }", "mime": "text/html"},
    ]

    code_display_data = [
        {"code": 'display(HTML("<b>x</b>"));', "mime": "text/html"},
        {"code": 'display(Markdown("*x*"));', "mime": "text/markdown"},
        {
            "code": "display(Plotly.NET.CSharp.Chart.Point<double, double, string>(x: new[] { 1.0, 2.0 }, y: new[] { 2.0, 4.0 }));",
            "mime": "application/vnd.plotly.v1+json",
        },
    ]

    code_history_pattern = "6*7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Console.WriteLine"

    code_clear_output = 'Console.WriteLine("gone"); ClearOutput();'


if __name__ == "__main__":
    unittest.main()
