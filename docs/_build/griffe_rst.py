"""A griffe extension: lambdago's reStructuredText-flavoured docstrings, as Markdown.

lambdago's docstrings are written to read well in ``help()`` and in an editor, with the
few reST constructs Python's own documentation uses. mkdocstrings renders Markdown, so
before rendering this extension rewrites, in every docstring of the package:

* roles (``:class:`~lambdago.Context```, ``:meth:`remaining```, ``:mod:`.protocol```)
  into code that links to the object's reference entry when the site documents it (an
  optional cross-reference: plain code otherwise, never a broken link);
* a paragraph ending in ``::`` followed by an indented block into a fenced Python block;
* interactive sessions (``>>>`` lines) into fenced ``pycon`` blocks;
* simple tables (columns under ``====`` rules) into Markdown tables;
* ``\\ `` (reST's escaped space, used to glue a suffix to a literal) into nothing.

The text itself is not changed. The extension is listed in mkdocs.yml.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc|obj):`(~?)([^`]+)`")
_RULE = re.compile(r"^\s*=+(?:\s+=+)+\s*$")


def _resolve(obj: Any, target: str) -> str:
    """The full path of ``target`` as seen from ``obj`` (best effort)."""
    if target.startswith("."):
        module = obj if obj.is_module else obj.module
        package = module if module.is_package else module.parent
        dots = len(target) - len(target.lstrip("."))
        for _ in range(dots - 1):
            package = package.parent or package
        return f"{package.path}.{target.lstrip('.')}"
    head, _, rest = target.partition(".")
    try:
        full = obj.resolve(head)
    except Exception:
        try:
            full = (obj.parent or obj).resolve(head) if obj.parent else head
        except Exception:
            return target
    return f"{full}.{rest}" if rest else full


def _roles(obj: Any, text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        short, target = match.group(1), match.group(2).strip()
        shown = target.rsplit(".", 1)[-1] if short else target
        path = _resolve(obj, target.rstrip("()"))
        return f'<autoref identifier="{path}" optional><code>{shown}</code></autoref>'

    return _ROLE.sub(replace, text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blocks(text: str) -> str:
    """``::`` literal blocks and ``>>>`` sessions into fenced code."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    in_fence = False
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            out.append(line)
            i += 1
            continue
        if in_fence:
            out.append(line)
            i += 1
            continue
        if line.lstrip().startswith(">>>"):
            base = " " * _indent(line)
            out.append(base + "```pycon")
            while i < len(lines) and lines[i].strip():
                out.append(lines[i])
                i += 1
            out.append(base + "```")
            continue
        if line.rstrip().endswith("::") and not line.strip().startswith(".."):
            stripped = line.rstrip()[:-2]
            out.append(stripped.rstrip() + ("" if stripped.endswith(" ") or not stripped else ":"))
            base = _indent(line)
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and _indent(lines[j]) > base:
                block_indent = _indent(lines[j])
                block: list[str] = []
                k = j
                while k < len(lines) and (
                    not lines[k].strip() or _indent(lines[k]) >= block_indent
                ):
                    block.append(lines[k][block_indent:] if lines[k].strip() else "")
                    k += 1
                while block and not block[-1]:
                    block.pop()
                pad = " " * base
                out.append("")
                out.append(pad + "```python")
                out.extend(pad + b if b else "" for b in block)
                out.append(pad + "```")
                out.append("")
                i = k
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


def _tables(text: str) -> str:
    """reST simple tables into Markdown tables."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _RULE.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        rule = lines[i]
        spans = [(m.start(), m.end()) for m in re.finditer(r"=+", rule)]
        rows: list[list[str]] = []
        rules = 1
        j = i + 1
        header_rows = 0
        while j < len(lines) and rules < 3:
            if _RULE.match(lines[j]):
                rules += 1
                if rules == 2:
                    header_rows = len(rows)
                j += 1
                continue
            if not lines[j].strip() and rules < 3:
                j += 1
                continue
            cells = []
            for n, (start, end) in enumerate(spans):
                stop = spans[n + 1][0] if n + 1 < len(spans) else None
                cells.append(lines[j][start:stop].strip() if stop else lines[j][start:].strip())
                del end
            rows.append(cells)
            j += 1
        if rules == 2:  # a table without a header: the first rule opened, the second closed
            header_rows = 0
        head = rows[:header_rows] or [[""] * len(spans)]
        body = rows[header_rows:]
        out.append("")
        out.append("| " + " | ".join(head[0]) + " |")
        out.append("|" + "---|" * len(spans))
        out.extend("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in body)
        out.append("")
        i = j
    return "\n".join(out)


def convert(obj: Any, text: str) -> str:
    """One docstring, rewritten (see the module docstring)."""
    text = _tables(text)
    text = _blocks(text)
    text = text.replace("\\ ", "")
    return _roles(obj, text)


class RstToMarkdown(griffe.Extension):
    """Rewrite every docstring of a package once it is loaded."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        seen: set[int] = set()

        def visit(obj: Any) -> None:
            if id(obj) in seen or obj.is_alias:
                return
            seen.add(id(obj))
            if obj.docstring is not None:
                obj.docstring.value = convert(obj, obj.docstring.value)
            for member in obj.members.values():
                visit(member)

        visit(pkg)
