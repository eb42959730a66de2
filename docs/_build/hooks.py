"""MkDocs hooks: the API reference pages of the event sources, made at build time.

One page per module of ``lambdago.events`` (``reference/events/<module>.md``), generated
from the package itself, so that a new event module gets its page and its place in the
navigation without anyone editing mkdocs.yml. The pages are listed in the navigation
under the entry ``reference/events/sources.md`` of mkdocs.yml, which is replaced by them.

The guides written with response streaming (issue 9) are in the navigation from the
start; until they exist, their entries are left out and links to them are shown as plain
text (the build says so), rather than failing the strict build.
"""

from __future__ import annotations

import ast
import logging
import pathlib
import re
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = pathlib.Path(__file__).resolve().parents[2]
EVENTS = ROOT / "lambdago" / "events"
PLACEHOLDER = "reference/events/sources.md"
PENDING = ("streaming.md", "web-apps.md", "shutdown-and-concurrency.md")
log = logging.getLogger("mkdocs.hooks.lambdago")


def event_modules() -> list[tuple[str, str, str]]:
    """``(module, title, summary)`` for every public module of ``lambdago.events``."""
    out = []
    for path in sorted(EVENTS.glob("*.py")):
        if path.name.startswith("_"):
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or path.stem
        first = " ".join(doc.split("\n\n", 1)[0].split())
        title, _, summary = first.partition(": ")
        if not summary or len(title) > 60:
            title, summary = path.stem, first
        out.append((path.stem, _markdown(title), _markdown(summary)))
    titles = [title for _, title, _ in out]
    return [
        (module, f"{title} ({module})" if titles.count(title) > 1 else title, summary)
        for module, title, summary in out
    ]


_ROLE = re.compile(r":[a-z]+:`(~?)([^`]+)`")


def _markdown(text: str) -> str:
    """A docstring's first paragraph as Markdown: ``literals`` and :roles:`x` as code."""

    def role(match: re.Match[str]) -> str:
        target = match.group(2)
        return f"`{target.rsplit('.', 1)[-1] if match.group(1) else target}`"

    return _ROLE.sub(role, text).replace("``", "`")


def page(module: str, title: str) -> str:
    return (
        f"# {title}\n\n"
        f"`lambdago.events.{module}`: every name below is importable from `lambdago.events`"
        f" directly (`from lambdago.events import ...`), which imports this module on first"
        f" use.\n\n"
        f"::: lambdago.events.{module}\n"
        f"    options:\n"
        f"      show_root_heading: false\n"
        f"      show_root_toc_entry: false\n"
        f"      show_if_no_docstring: true\n"
        f"      filters: public\n"
    )


def index() -> str:
    rows = "\n".join(
        f"| [{title}]({module}.md) | `{module}` | {summary} |"
        for module, title, summary in event_modules()
    )
    return (
        "# Event sources\n\n"
        "One page per module of `lambdago.events`. The types are importable from"
        " `lambdago.events` whatever their module.\n\n"
        "| source | module | what it holds |\n|---|---|---|\n" + rows + "\n"
    )


def on_config(config: Any, **kwargs: Any) -> Any:
    """Replace the navigation's placeholder entry with the event source pages."""
    entries = [{"All sources": PLACEHOLDER}] + [
        {title: f"reference/events/{module}.md"} for module, title, _ in event_modules()
    ]

    def walk(items: list[Any]) -> bool:
        for i, item in enumerate(items):
            if isinstance(item, dict):
                for key, value in item.items():
                    if value == PLACEHOLDER:
                        items[i] = {key: entries}
                        return True
                    if isinstance(value, list) and walk(value):
                        return True
        return False

    walk(config["nav"])
    docs = pathlib.Path(config["docs_dir"])
    missing = {name for name in PENDING if not (docs / name).exists()}
    if missing:
        log.info("not yet written, left out of the navigation: %s", ", ".join(sorted(missing)))

        def prune(items: list[Any]) -> list[Any]:
            kept = []
            for item in items:
                value = next(iter(item.values())) if isinstance(item, dict) else item
                if isinstance(value, str) and value in missing:
                    continue
                if isinstance(item, dict) and isinstance(value, list):
                    item = {next(iter(item)): prune(value)}
                kept.append(item)
            return kept

        config["nav"] = prune(config["nav"])
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, **kwargs: Any) -> str:
    """Links to a guide not written yet become plain text."""
    docs = pathlib.Path(config["docs_dir"])
    for name in PENDING:
        if not (docs / name).exists():
            link = re.compile(r"\[([^\]]+)\]\(" + re.escape(name) + r"(?:#[^)]*)?\)")
            markdown = link.sub(r"\1", markdown)
    return markdown


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    """Add the generated pages."""
    files.append(File.generated(config, PLACEHOLDER, content=index()))
    for module, title, _ in event_modules():
        files.append(
            File.generated(config, f"reference/events/{module}.md", content=page(module, title))
        )
    return files
