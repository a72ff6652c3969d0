#!/usr/bin/env python3
"""Mechanical tests of editors/ats.tmLanguage.json (run by scripts/test-grammars).

1. Every regular expression of the grammar compiles with Oniguruma (the engine of VS Code,
   GitHub's linguist and TextMate itself), through onigurumacffi.
2. Every golden script in Tests/ATSLanguageTests/Scripts is tokenized by
   textmate-grammar-python (a port of vscode-textmate), and an independent scan of the same
   text checks that comments, strings, variables, options, numbers and keywords get the
   scopes they should.

Prints `N passed, N failed` and exits non-zero on a failure.
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import onigurumacffi
from textmate_grammar.parsers.base import LanguageParser
from textmate_grammar.utils.logger import LOGGER

ROOT = pathlib.Path(__file__).resolve().parents[2]
GRAMMAR = ROOT / "editors" / "ats.tmLanguage.json"
SCRIPTS = ROOT / "Tests" / "ATSLanguageTests" / "Scripts"

KEYWORDS = {"if", "elif", "else", "for", "in", "while", "break", "continue", "return", "try", "catch", "let", "fn",
            "and", "or", "not"}
CONSTANTS = {"true", "false", "null"}


def regexes(node, path="$"):
    """Every (path, pattern) of the grammar: match, begin, end and while."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("match", "begin", "end", "while") and isinstance(value, str):
                yield f"{path}.{key}", value
            else:
                yield from regexes(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from regexes(value, f"{path}[{i}]")


def scan(text):
    """Independent of the grammar: (line, column, kind, token) of what must be highlighted.
    Kinds: comment, string, variable, option, number, keyword, constant."""
    found = []
    lines = text.split("\n")
    for ln, line in enumerate(lines):
        i = 0
        stack = []  # open double-quoted strings, by the depth of `$(` inside them
        in_string = False
        depth = 0
        while i < len(line):
            c = line[i]
            if in_string:
                if c == "\\":
                    i += 2
                    continue
                if c == '"':
                    in_string = False
                    i += 1
                    continue
                if line.startswith("$(", i):
                    stack.append(depth)
                    in_string = False
                    depth += 1
                    i += 2
                    continue
            # `$name`, in code and in double-quoted strings alike.
            m = re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)", line[i:])
            if m:
                found.append((ln, i, "variable", m.group(0)))
                i += len(m.group(0))
                continue
            if in_string:
                i += 1
                continue
            if c == "#":
                found.append((ln, i, "comment", line[i:]))
                break
            if c == '"':
                found.append((ln, i, "string", '"'))
                in_string = True
                i += 1
                continue
            if c == "'":
                end = line.find("'", i + 1)
                found.append((ln, i, "string", "'"))
                i = len(line) if end < 0 else end + 1
                continue
            if c == "(":
                depth += 1
            if c == ")":
                depth -= 1
                if stack and stack[-1] == depth:
                    stack.pop()
                    in_string = True
                i += 1
                continue
            prev = line[i - 1] if i > 0 else " "
            m = re.match(r"--[A-Za-z_][A-Za-z0-9_-]*", line[i:])
            if m and not re.match(r"[A-Za-z0-9_-]", prev):
                found.append((ln, i, "option", m.group(0)))
                i += len(m.group(0))
                continue
            m = re.match(r"[0-9]+(?:\.[0-9]+)?(?:ms|s|m|h|d)?(?![A-Za-z0-9_])", line[i:])
            if m and not re.match(r"[A-Za-z0-9_.\-]", prev) and not line[i + len(m.group(0)):].startswith(".."[:0] + ".") :
                found.append((ln, i, "number", m.group(0)))
                i += len(m.group(0))
                continue
            m = re.match(r"[A-Za-z_][A-Za-z0-9_-]*", line[i:])
            if m:
                word = m.group(0)
                after = line[i + len(word):]
                if not re.match(r"[A-Za-z0-9_.\-/]", prev) and not after.startswith(":") and not after.startswith("."):
                    if word in KEYWORDS:
                        found.append((ln, i, "keyword", word))
                    elif word in CONSTANTS:
                        found.append((ln, i, "constant", word))
                i += len(word)
                continue
            i += 1
    return found


EXPECTED_SCOPE = {
    "comment": "comment.line",
    "string": "string.quoted",
    "variable": "variable.other",
    "option": "variable.parameter.option",
    "number": "constant.numeric",
    "keyword": ("keyword.", "storage.type.function"),
    "constant": "constant.language",
}


def scopes_by_position(parser, text):
    element = parser.parse_string(text)
    table = {}
    if element is None:
        return table
    for (ln, col), token, scopes in element.flatten():
        for k in range(len(token)):
            table[(ln, col + k)] = scopes
    return table


VIM_GROUPS = {
    "comment": {"atsComment"},
    "string": {"atsString", "atsRawString"},
    "variable": {"atsVariable"},
    "option": {"atsOption"},
    "number": {"atsNumber", "atsDuration"},
    "keyword": {"atsConditional", "atsRepeat", "atsStatement", "atsException", "atsKeyword", "atsOperatorWord"},
    "constant": {"atsConstant"},
}

VIM_DUMP = r"""
let out = []
for l in range(1, line('$'))
  call add(out, join(map(range(1, max([col([l, '$']) - 1, 0])), 'synIDattr(synID(l, v:val, 1), "name")'), ' '))
endfor
call writefile(out, $ATS_SYNTAX_OUT)
"""


def vim_groups(script, tmp):
    """The syntax group of every byte of `script` in a real vim with editors/vim loaded."""
    dump = tmp / "dump.vim"
    dump.write_text(VIM_DUMP)
    out = tmp / "groups.txt"
    env = dict(os.environ, ATS_SYNTAX_OUT=str(out))
    subprocess.run(
        ["vim", "-Nu", "NONE", "-i", "NONE", "-es", "-c", f"set rtp^={ROOT / 'editors' / 'vim'}", "-c", "filetype on",
         "-c", "syntax on", "-c", f"edit {script}", "-c", f"source {dump}", "-c", "qa!"],
        env=env, check=False, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    if not out.exists():
        return None
    return [line.split(" ") if line else [] for line in out.read_text().split("\n")]


def report(label, script, problems):
    """Prints a script's problems (the first 20); True when there are none."""
    if not problems:
        return True
    print(f"FAIL {label}{script.relative_to(ROOT)}")
    for p in problems[:20]:
        print("   ", p)
    return False


def main():
    LOGGER.logger.setLevel("ERROR")
    passed = failed = 0
    grammar = json.loads(GRAMMAR.read_text())
    for path, pattern in regexes(grammar):
        try:
            onigurumacffi.compile(pattern)
            passed += 1
        except Exception as e:  # onigurumacffi raises OnigError
            failed += 1
            print(f"FAIL compile {path}: {pattern!r}: {e}")
    parser = LanguageParser(grammar)
    scripts = sorted(SCRIPTS.rglob("*.ats"))
    if not scripts:
        print("FAIL no golden scripts found under", SCRIPTS)
        failed += 1
    counts = {}
    for script in scripts:
        text = script.read_text()
        table = scopes_by_position(parser, text)
        problems = []
        for ln, col, kind, token in scan(text):
            scopes = table.get((ln, col), [])
            want = EXPECTED_SCOPE[kind]
            want = want if isinstance(want, tuple) else (want,)
            if not any(s.startswith(w) for s in scopes for w in want):
                problems.append(f"{script.relative_to(ROOT)}:{ln + 1}:{col + 1}: {kind} {token!r} has scopes {scopes}")
            counts[kind] = counts.get(kind, 0) + 1
        ok = report("", script, problems)
        passed, failed = passed + ok, failed + (not ok)
    print("checked:", ", ".join(f"{n} {k}s" for k, n in sorted(counts.items())))
    if shutil.which("vim") is None:
        print("FAIL vim not found (scripts/setup installs it): the Vim syntax file is not checked")
        failed += 1
    else:
        tmp = pathlib.Path(tempfile.mkdtemp())
        for script in scripts:
            groups = vim_groups(script, tmp)
            if groups is None:
                failed += 1
                print("FAIL vim did not run on", script.relative_to(ROOT))
                continue
            lines = script.read_text().split("\n")
            problems = []
            for ln, col, kind, token in scan(script.read_text()):
                byte = len(lines[ln][:col].encode())
                got = groups[ln][byte] if ln < len(groups) and byte < len(groups[ln]) else ""
                if got not in VIM_GROUPS[kind]:
                    problems.append(f"{script.relative_to(ROOT)}:{ln + 1}:{col + 1}: {kind} {token!r} is in vim group {got!r}")
            ok = report("vim ", script, problems)
            passed, failed = passed + ok, failed + (not ok)
    print(f"grammar: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
