#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Compiles every C and C++ code block of the project's Markdown documentation.

Blocks: fenced blocks (``` or ~~~, at any indentation, e.g. inside a list item) whose info
string starts with c (C11) or cpp / c++ / cxx / cc (C++17), case-insensitive. Other blocks (sh,
json, cmake, untagged ...) are not compiled.

Each block becomes one translation unit, compiled with -fsyntax-only:
  - #include / #define / #undef lines (with their continuations) go to the top;
  - then the context headers named by a directive (see below);
  - then the block's file-scope items: function definitions (a `name(...) {` head, also
    `int main(`, SC_MODULE(x) {, TEST(a, b) {), struct / class / union / enum definitions,
    namespace, template, extern "C", using, typedef, and declarations starting with static,
    constexpr or extern;
  - everything else (statements, local declarations) goes, in order, into the body of
    `void snippet_<line>(void)` (C) / `void snippet_<line>()` (C++); its return type is int, with
    a final `return 0;`, when the block has a `return <value>;`.
  A line whose code is only `...` (possibly followed by a comment) is an elision: the `...` is
  dropped, the comment kept. #line directives map diagnostics back to the Markdown file and line.

Flags: C as -std=c11, C++ as -std=c++17, both with -Wall -Wextra -Wpedantic -Werror (-Wpedantic
so that C-only syntax in a C++ block, such as designated initialisers or compound literals, and
GNU extensions fail) and -Wno-unused-variable -Wno-unused-but-set-variable -Wno-unused-function
-Wno-unused-parameter -Wno-unused-local-typedefs: a snippet shows how to call things and often
declares what it does not go on to use. SystemC's include directories are passed as -isystem.

Directives: an HTML comment on the line right before the opening fence (several such lines are
merged), invisible when the Markdown is rendered:
  <!-- snippet: context=NAME[,NAME...] -->  include testbench/docs/contexts/NAME.hpp (C++ blocks;
                                            NAME.h when there is no .hpp) or NAME.h (C blocks):
                                            declarations of the names the block uses from
                                            elsewhere in the document (dma0, bus, gp, delay ...)
  <!-- snippet: skip reason="..." -->       not compiled (a reason is required); counted as SKIP
  <!-- snippet: lang=c|cpp -->              compile in this language whatever the fence says
                                            (also makes an untagged block compiled)
  <!-- snippet: scope=file|function -->     put the whole block at file scope / in the function
Keys can be combined in one comment: <!-- snippet: context=tlm_platform lang=cpp -->. An unknown
key, a skip without a reason, a missing context or a directive not followed by a fence fails.

testbench/docs/contexts/include/ is on the include path: stand-ins for headers that a user's own
build generates (Verilator's Vmy_master.h in docs/cosim.md).

Output: one line per block, `file:line lang OK|FAIL|SKIP` (with the compiler's first error lines
on FAIL), then `N snippets compiled, M skipped, K failed`. Exit status 1 on any failure.
Python 3 standard library only.
"""

import argparse
import concurrent.futures
import glob
import os
import re
import shlex
import subprocess
import sys

LANGS = {"c": "c", "cpp": "c++", "c++": "c++", "cxx": "c++", "cc": "c++"}
DEFAULT_DOCS = ["README.md", "docs/**/*.md", "c_core/**/*.md", "traces/**/*.md",
                "tlm_wrap/**/*.md", "model/**/*.md", "tools/**/*.md", "examples/**/*.md"]
COMMON_FLAGS = ["-fsyntax-only", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                "-Wno-unused-variable", "-Wno-unused-but-set-variable",
                "-Wno-unused-function", "-Wno-unused-parameter", "-Wno-unused-local-typedefs"]
STD = {"c": ["-x", "c", "-std=c11"], "c++": ["-x", "c++", "-std=c++17"]}
KNOWN_KEYS = {"context", "skip", "reason", "lang", "scope"}
SYSTEMC_RE = re.compile(r"#\s*include\s*[<\"](systemc|tlm|smmu_tlm/|smmu_model/|smmu_cosim/)")
CONTROL = {"if", "for", "while", "switch", "do", "else", "return", "case", "default", "try",
           "catch", "sizeof", "throw", "goto", "delete", "new"}


class Block:
    def __init__(self, path, line, info, lines):
        self.path = path      # as shown (relative to the root)
        self.line = line      # 1-based line of the opening fence
        self.info = info      # first word of the info string
        self.lines = lines    # content lines, indentation of the fence removed
        self.opts = {}        # directive key -> value
        self.error = None     # a problem with the block's directives


# ---------------------------------------------------------------------------------------------
# Markdown

FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^\s`]*)")
DIRECTIVE_RE = re.compile(r"^\s*<!--\s*snippet:(.*?)-->\s*$")
DIRECTIVE_START_RE = re.compile(r"^\s*<!--\s*snippet:")
KV_RE = re.compile(r'\s*([A-Za-z_][\w-]*)(?:\s*=\s*("(?:[^"\\]|\\.)*"|[^\s"]+))?')


def parse_directive(text):
    """key=value pairs of one directive; returns (dict, error)."""
    opts, pos = {}, 0
    text = text.strip()
    while pos < len(text):
        m = KV_RE.match(text, pos)
        if not m or m.end() == pos:
            return opts, "cannot parse directive near '%s'" % text[pos:]
        key, val = m.group(1), m.group(2)
        if val is None:
            val = ""
        elif val.startswith('"'):
            val = val[1:-1].replace('\\"', '"')
        if key not in KNOWN_KEYS:
            return opts, "unknown directive key '%s' (known: %s)" % (key, ", ".join(sorted(KNOWN_KEYS)))
        opts[key] = val
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return opts, None


def parse_markdown(path, shown):
    """Blocks of one file, and directive errors not attached to a block."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks, stray = [], []
    pending, pending_line, pending_err = {}, None, None
    i = 0
    while i < len(lines):
        line = lines[i]
        d = DIRECTIVE_RE.match(line)
        if d:
            opts, err = parse_directive(d.group(1))
            if pending_line is None:
                pending_line = i + 1
            pending.update(opts)
            pending_err = pending_err or err
            i += 1
            continue
        if DIRECTIVE_START_RE.match(line):
            stray.append((shown, i + 1, "a snippet directive must be a one-line <!-- snippet: ... -->"))
            i += 1
            continue
        m = FENCE_RE.match(line)
        if m:
            indent, fence, info = len(m.group(1)), m.group(2), m.group(3)
            body, j = [], i + 1
            close = re.compile(r"^\s*" + re.escape(fence[0]) + "{%d,}\\s*$" % len(fence))
            while j < len(lines) and not close.match(lines[j]):
                text = lines[j]
                k = 0
                while k < indent and k < len(text) and text[k] == " ":
                    k += 1
                body.append(text[k:])
                j += 1
            b = Block(shown, i + 1, info.lower(), body)
            b.opts, b.error = pending, pending_err
            blocks.append(b)
            pending, pending_line, pending_err = {}, None, None
            i = j + 1
            continue
        if pending_line is not None:
            stray.append((shown, pending_line, "snippet directive not on the line right before a fence"))
            pending, pending_line, pending_err = {}, None, None
        i += 1
    if pending_line is not None:
        stray.append((shown, pending_line, "snippet directive not on the line right before a fence"))
    return blocks, stray


# ---------------------------------------------------------------------------------------------
# C / C++ fragments

def strip_line(text, in_comment):
    """The line's code without comments and string/char contents; (code, in_comment)."""
    out, i, n = [], 0, len(text)
    while i < n:
        if in_comment:
            end = text.find("*/", i)
            if end < 0:
                return "".join(out), True
            i, in_comment = end + 2, False
            out.append(" ")
            continue
        c = text[i]
        if text.startswith("//", i):
            break
        if text.startswith("/*", i):
            in_comment, i = True, i + 2
            continue
        if c == '"' or (c == "'" and not (i > 0 and text[i - 1].isalnum() and i + 1 < n
                                           and text[i + 1].isalnum())):
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out), in_comment


def outside_parens(text):
    """text without anything inside (possibly nested) parentheses."""
    out, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def is_function_head(head):
    """head: the code of an item before its first top-level '{'."""
    h = head.strip()
    if not h or "=" in outside_parens(h):
        return False
    first = re.match(r"[A-Za-z_]\w*", h)
    if first and first.group(0) in CONTROL:
        return False
    if h.count("(") != h.count(")") or "(" not in h:
        return False
    # constructor initialiser list: cut at the ':' that follows the parameter list
    m = re.match(r"^(.*\))\s*:(?!:)", h, re.S)
    if m and m.group(1).count("(") == m.group(1).count(")"):
        h = m.group(1)
    h = re.sub(r"\s*->\s*[\w:<>,*&\s]+$", "", h)
    h = re.sub(r"(\s*\b(const|noexcept|override|final|volatile)\b|\s*&&?)*$", "", h)
    if not h.endswith(")"):
        return False
    depth, k = 0, len(h) - 1
    while k >= 0:
        depth += {")": 1, "(": -1}.get(h[k], 0)
        if depth == 0:
            break
        k -= 1
    before = h[:k].rstrip()
    return bool(re.search(r"[\w>~]$", before))


FILE_SCOPE_START = re.compile(
    r'^(template\b|namespace\b|extern\s*""|using\b|typedef\b|static\b|constexpr\b|extern\b|'
    r'inline\b|SC_MODULE\b)')


def is_file_scope_item(code):
    c = code.strip()
    if FILE_SCOPE_START.match(c):
        return True
    brace = c.find("{")
    head = c if brace < 0 else c[:brace]
    if brace >= 0 and re.match(r"^(typedef\s+)?(struct|class|union|enum)\b", c) \
            and "=" not in head and "(" not in head:
        return True
    return brace >= 0 and is_function_head(head)


DIRECTIVE_HOIST = re.compile(r"^\s*#\s*(include|define|undef)\b")
ELISION = re.compile(r"^(\s*)\.\.\.(\s*(//.*|/\*.*)?)$")


def split_block(lines, first_line):
    """(hoisted, file_scope, body) lists of (md_line, text); returns also has_return_value."""
    hoisted, items = [], []
    cur, in_comment, depth, cont = [], False, 0, False
    for idx, raw in enumerate(lines):
        lineno = first_line + 1 + idx
        e = ELISION.match(raw)
        text = (e.group(1) + e.group(2)) if e else raw
        if cont or (not in_comment and depth == 0 and not any(c.strip() for _, _, c in cur)
                    and DIRECTIVE_HOIST.match(text)):
            hoisted.append((lineno, text))
            cont = text.rstrip().endswith("\\")
            continue
        code, in_comment = strip_line(text, in_comment)
        cur.append((lineno, text, code))
        for ch in code:
            if ch in "{([":
                depth += 1
            elif ch in "})]":
                depth -= 1
        s = code.strip()
        if depth <= 0 and not in_comment and s and (s.endswith(";") or s.endswith("}")) \
                and not re.match(r"^\s*#", s):
            items.append(cur)
            cur, depth = [], 0
    if cur:
        items.append(cur)
    file_scope, body, has_ret = [], [], False
    for it in items:
        code = " ".join(c for _, _, c in it)
        if is_file_scope_item(code):
            target = file_scope
        else:
            target = body
            has_ret = has_ret or bool(re.search(r"\breturn\s+[^\s;]", code))
        target.extend((ln, t) for ln, t, _ in it)
    return hoisted, file_scope, body, has_ret


def emit(out, path, chunk):
    last = None
    for ln, text in chunk:
        if last is None or ln != last + 1:
            out.append('#line %d "%s"' % (ln, path))
        out.append(text)
        last = ln


def build_tu(block, lang, contexts):
    hoisted, file_scope, body, has_ret = split_block(block.lines, block.line)
    scope = block.opts.get("scope")
    if scope == "file":
        file_scope, body = sorted(file_scope + body), []
    elif scope == "function":
        file_scope, body = [], sorted(file_scope + body)
    out = ["/* generated by check_snippets.py from %s:%d */" % (block.path, block.line)]
    emit(out, block.path, hoisted)
    for ctx in contexts:
        out.append('#include "%s"' % ctx)
    out.append("typedef int snippet_tu_is_not_empty_;")
    emit(out, block.path, file_scope)
    if body:
        name = "snippet_%d" % block.line
        ret = "int" if has_ret else "void"
        out.append('#line %d "%s"' % (block.line, block.path))
        out.append("%s %s(%s) {" % (ret, name, "void" if lang == "c" else ""))
        emit(out, block.path, body)
        if has_ret:
            out.append("return 0;")
        out.append("}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------

def resolve_contexts(block, lang, ctx_dir):
    names = [n for n in block.opts.get("context", "").split(",") if n]
    paths = []
    for n in names:
        exts = [".hpp", ".h"] if lang == "c++" else [".h"]
        for ext in exts:
            p = os.path.join(ctx_dir, n + ext)
            if os.path.isfile(p):
                paths.append(os.path.abspath(p))
                break
        else:
            raise ValueError("context '%s' not found (%s)" % (
                n, " or ".join(os.path.join(ctx_dir, n + e) for e in exts)))
    return paths


def first_errors(stderr, limit=6):
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    picked = [ln for ln in lines if re.search(r"\b(error|fatal error)\b", ln)] or lines
    return picked[:limit]


def check_block(block, args):
    """Returns (status, lang, detail lines)."""
    if block.error:
        return "FAIL", block.info or "-", [block.error]
    lang = LANGS.get(block.opts.get("lang", block.info), None)
    if "lang" in block.opts and lang is None:
        return "FAIL", block.opts["lang"], ["lang must be one of: %s" % ", ".join(sorted(LANGS))]
    if lang is None:
        return None, None, []
    if "skip" in block.opts:
        reason = block.opts.get("reason", "").strip()
        if not reason:
            return "FAIL", lang, ['skip needs a reason: <!-- snippet: skip reason="..." -->']
        return "SKIP", lang, ["reason: " + reason]
    if block.opts.get("scope", "file") not in ("file", "function"):
        return "FAIL", lang, ["scope must be file or function"]
    try:
        contexts = resolve_contexts(block, lang, args.contexts)
    except ValueError as e:
        return "FAIL", lang, [str(e)]
    tu = build_tu(block, lang, contexts)
    if args.no_systemc:
        ctx_text = "".join(open(p, encoding="utf-8").read() for p in contexts)
        if SYSTEMC_RE.search(tu) or SYSTEMC_RE.search(ctx_text):
            return "SKIP", lang, ["reason: needs SystemC (SMMU_BUILD_SYSTEMC is OFF)"]
    base = re.sub(r"[^\w]+", "_", block.path) + "_%d" % block.line
    src = os.path.join(args.work_dir, base + (".c" if lang == "c" else ".cpp"))
    with open(src, "w", encoding="utf-8") as f:
        f.write(tu)
    compiler = args.cc if lang == "c" else args.cxx
    cmd = [compiler] + STD[lang] + COMMON_FLAGS
    for d in args.include + [os.path.join(args.contexts, "include")]:
        cmd += ["-I", d]
    cmd += args.sysflags
    cmd.append(src)
    try:
        r = subprocess.run(cmd, cwd=args.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=300)
    except subprocess.TimeoutExpired:
        return "FAIL", lang, ["compiler timed out (%s)" % src]
    if r.returncode != 0:
        return "FAIL", lang, first_errors(r.stderr + r.stdout) + ["(translation unit: %s)" % src]
    return "OK", lang, []


def systemc_flags(text):
    """SystemC's compile flags with every -I turned into -isystem."""
    out, toks, k = [], shlex.split(text or ""), 0
    while k < len(toks):
        t = toks[k]
        if t == "-I" and k + 1 < len(toks):
            out += ["-isystem", toks[k + 1]]
            k += 2
            continue
        out += ["-isystem", t[2:]] if t.startswith("-I") else [t]
        k += 1
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True, help="source tree root")
    ap.add_argument("--cc", required=True, help="C compiler")
    ap.add_argument("--cxx", required=True, help="C++ compiler")
    ap.add_argument("-I", dest="include", action="append", default=[],
                    help="include directory (project headers; repeatable)")
    ap.add_argument("--systemc-cflags", default="",
                    help="SystemC's compile flags (pkg-config --cflags systemc); -I become -isystem")
    ap.add_argument("--systemc-include", action="append", default=[],
                    help="SystemC include directory, passed as -isystem (repeatable)")
    ap.add_argument("--no-systemc", action="store_true",
                    help="SystemC layer not built: C++ blocks that need it are skipped")
    ap.add_argument("--contexts", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                       "contexts"))
    ap.add_argument("--work-dir", default=None, help="where the translation units are written")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("files", nargs="*", help="Markdown files (default: the project's docs)")
    args = ap.parse_args()

    args.root = os.path.abspath(args.root)
    args.contexts = os.path.abspath(args.contexts)
    args.include = [os.path.abspath(os.path.join(args.root, d)) for d in args.include]
    args.sysflags = systemc_flags(args.systemc_cflags)
    for d in args.systemc_include:
        args.sysflags += ["-isystem", d]
    if args.work_dir is None:
        args.work_dir = os.path.join(os.getcwd(), "snippets")
    os.makedirs(args.work_dir, exist_ok=True)

    files = args.files
    if not files:
        seen = set()
        for pat in DEFAULT_DOCS:
            for p in sorted(glob.glob(os.path.join(args.root, pat), recursive=True)):
                if p not in seen:
                    seen.add(p)
                    files.append(p)
    blocks, stray = [], []
    for p in files:
        full = p if os.path.isabs(p) else os.path.join(args.root, p)
        b, s = parse_markdown(full, os.path.relpath(full, args.root))
        blocks += b
        stray += s

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futures = [ex.submit(check_block, b, args) for b in blocks]
        results = [f.result() for f in futures]

    # document order: (file, line)
    order = {os.path.relpath(p if os.path.isabs(p) else os.path.join(args.root, p), args.root): k
             for k, p in enumerate(files)}
    rows = [(b.path, b.line, lang, status, detail)
            for b, (status, lang, detail) in zip(blocks, results) if status is not None]
    rows += [(path, line, "-", "FAIL", [msg]) for path, line, msg in stray]
    rows.sort(key=lambda r: (order.get(r[0], 0), r[1]))
    ok = skipped = failed = 0
    for path, line, lang, status, detail in rows:
        print("%s:%d %s %s" % (path, line, lang, status))
        for d in detail:
            print("    " + d)
        ok += status == "OK"
        skipped += status == "SKIP"
        failed += status == "FAIL"
    if ok + skipped + failed == 0:
        print("no C or C++ snippet found under %s: wrong --root?" % args.root)
        failed = 1
    print("%d snippets compiled, %d skipped, %d failed" % (ok, skipped, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
