#!/usr/bin/env bash
# Opens every page of a built book in headless chromium and checks it: every chart drew (a plot SVG with traces or a heatmap image,
# one per chart figure on the page), KaTeX rendered every math element (no raw $$ left), no console errors, no page
# errors, no failed or network requests, no broken local links.
# Usage: tests/book/check-book.sh BOOKDIR     (BOOKDIR written by 'dimreduce book --out BOOKDIR')
# Chromium: DIMREDUCE_CHROMIUM, else chromium or chromium-browser on PATH (Debian: apt-get install -y chromium).
# Exits non-zero when any page fails.
set -euo pipefail
if [ $# -ne 1 ]; then echo "usage: $0 BOOKDIR" >&2; exit 2; fi
if [ ! -f "$1/index.html" ]; then echo "$1/index.html not found: build the book first (dimreduce book --out $1)" >&2; exit 2; fi
book=$(cd "$1" && pwd)
chromium=${DIMREDUCE_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then echo "no chromium found: install it (apt-get install -y chromium) or set DIMREDUCE_CHROMIUM" >&2; exit 2; fi
cd "$(dirname "$0")/../.."
echo "checking $book with $chromium ($("$chromium" --version 2>/dev/null | head -n 1))"
DIMREDUCE_BOOK_DIR="$book" DIMREDUCE_CHROMIUM="$chromium" \
  dotnet test tests/DimReduce.Book.Tests/DimReduce.Book.Tests.csproj -c Release --logger "console;verbosity=normal"
