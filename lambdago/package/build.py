"""``lambdago package``: from a project folder and a handler to a deployable package.

The steps, each in its own module:

1. the dependencies, installed as wheels for the target (``dependencies``), pruned
   (``prune``), with lambdago from its own source (``selfsource``);
2. the user's code (``project``), without secrets, VCS folders, virtualenvs, tests;
3. the ``bootstrap`` (and the managed runtime's wrapper) (``scripts``);
4. bytecode for the target Python (``interpreter``, ``bytecode``);
5. the size checks (``limits``), then the zip, folder or image context (``zipwriter``),
   and the SAM files (``outputs``);
6. the summary (``display``).
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import shutil
import tempfile
from collections.abc import Callable

from .._version import __version__
from . import outputs
from .display import Display
from .limits import SizeReport, group_sizes, human
from .options import PackageError, PackageOptions, Platform
from .project import Skipped, collect_project
from .scripts import WRAPPER_NAME, bootstrap_script, wrapper_script
from .zipwriter import EXEC_MODE, Entry, Tree, write_dir, write_zip

__all__ = ["Result", "build", "effective_platform"]


@dataclasses.dataclass
class Result:
    output: pathlib.Path
    kind: str  # "zip", "folder" or "image"
    platform: Platform
    size: SizeReport
    installed: list[tuple[str, str]]
    requirements_source: str
    bytecode_python: str | None
    bytecode_files: int
    warnings: list[str]
    skipped: list[Skipped]
    sam_files: list[pathlib.Path]
    commands: list[str]
    names: list[str] = dataclasses.field(repr=False)  # the package's files


def effective_platform(options: PackageOptions) -> Platform:
    """The managed python3.11 runtime runs on Amazon Linux 2 (glibc 2.26)."""
    platform = options.platform
    if options.target == "managed" and platform.python == "3.11" and platform.os == "al2023":
        return dataclasses.replace(platform, os="al2")
    return platform


def _layer_prefix(platform: Platform) -> str:
    return f"python/lib/python{platform.python}/site-packages/"


def _merge(tree: Tree, more: Tree, warnings: list[str], what: str) -> None:
    clashes = sorted(set(tree) & set(more))
    if clashes:
        shown = ", ".join(clashes[:5]) + (" …" if len(clashes) > 5 else "")
        warnings.append(f"{what} replaces {len(clashes)} installed file(s): {shown}")
    tree.update(more)


def _check_writable_outputs(options: PackageOptions, output: pathlib.Path) -> None:
    if options.target == "image" and output.exists():
        dockerfile = output / "Dockerfile"
        contents = [p.name for p in output.iterdir()]
        ours = dockerfile.is_file() and outputs.MARKER in dockerfile.read_text(errors="replace")
        if contents and not ours:
            raise PackageError(
                f"{output} exists and is not an image context written by lambdago: "
                "give another --output"
            )
    if options.sam:
        for name in ("template.yaml", "Makefile"):
            path = options.project / name
            if options.target == "image" and name == "Makefile":
                continue
            ours = path.exists() and outputs.MARKER in path.read_text(errors="replace")
            if path.exists() and not ours and not options.force:
                raise PackageError(
                    f"{path} exists and was not written by lambdago: --sam would overwrite "
                    "it (move it away, or give --force)"
                )


def build(options: PackageOptions, display: Display | None = None) -> Result:
    """Build the package ``options`` describe; raises :class:`PackageError`."""
    options.validate()
    display = display or Display(quiet=True)
    platform = effective_platform(options)
    options = dataclasses.replace(options, platform=platform)
    project = options.project.resolve()
    options.project = project
    if options.output_dir is not None:
        output, kind = options.output_dir.resolve(), "folder"
    elif options.target == "image":
        output, kind = (options.output or options.default_output()).resolve(), "image"
    else:
        output, kind = (options.output or options.default_output()).resolve(), "zip"
    _check_writable_outputs(options, output)
    warnings: list[str] = []

    def warn(text: str) -> None:
        warnings.append(text)
        display.warn(text)

    prefix = _layer_prefix(platform) if options.layer else ""
    tree: Tree = {}
    installed: list[tuple[str, str]] = []
    requirements_source = "none"
    bytecode_python: str | None = None
    compiled_count = 0
    skipped: list[Skipped] = []
    with tempfile.TemporaryDirectory(prefix="lambdago-package-") as scratch_name:
        scratch = pathlib.Path(scratch_name)
        if options.dependencies:
            from .dependencies import install
            from .prune import dependency_tree
            from .requirements import project_requirements
            from .selfsource import lambdago_tree, runtime_requirements

            requirements = project_requirements(project, options.requirements, scratch / "req")
            requirements_source = requirements.source
            display.phase(f"installing dependencies for {platform.describe()}")
            deps_dir = scratch / "dependencies"
            result = install(
                deps_dir,
                platform,
                [*requirements.args, *runtime_requirements()],
                cwd=project,
                progress=display.detail,
            )
            installed = list(result.packages)
            deps, _dropped = dependency_tree(
                deps_dir, prefix=prefix, includes=options.includes, excludes=options.excludes
            )
            tree.update(deps)
            pth = sorted(
                n[len(prefix) :]
                for n in deps
                if n.endswith(".pth") and n.count("/") == prefix.count("/")
            )
            if pth:
                warn(
                    f"{', '.join(pth)}: .pth files are not processed (python -S; Lambda's own "
                    "Python runtimes do not process them in /var/task or /opt either)"
                )
            _merge(tree, lambdago_tree(prefix), warnings, "lambdago's own source")
        if not options.layer:
            display.phase("collecting the project's files")
            collected = collect_project(
                project, includes=options.includes, excludes=options.excludes, skip_paths=(output,)
            )
            skipped = collected.skipped
            if not any(name.endswith(".py") for name in collected.tree):
                warn(f"{project} holds no Python file: is it the right project folder?")
            _merge(tree, collected.tree, warnings, "the project")
            tree["bootstrap"] = Entry(
                data=bootstrap_script(options.handler, platform.python, __version__),
                mode=EXEC_MODE,
            )
            if options.target == "managed":
                tree[WRAPPER_NAME] = Entry(
                    data=wrapper_script(platform.python, __version__), mode=EXEC_MODE
                )
        if options.bytecode:
            bytecode_python, compiled_count = _compile(options, platform, tree, scratch, warn)
        size = _size(tree, prefix)
        zip_like = kind != "image"
        _, errors = size.problems(zip_package=zip_like)
        if errors:
            raise PackageError(errors[0])
        display.phase(f"writing {output}")
        if kind == "zip":
            write_zip(tree, output)
            size.zipped = output.stat().st_size
        elif kind == "folder":
            write_dir(tree, output)
        else:
            _write_image(options, tree, output)
        late_warnings, _ = size.problems(zip_package=zip_like)
        for text in late_warnings:
            warn(text)
    display.clear()
    sam_files = _write_sam(options) if options.sam else []
    shown = _shown_path(output)
    large = size.zipped is not None and size.zipped > 50 * 1024 * 1024
    commands = outputs.aws_cli_commands(options, shown, large=large)
    result_obj = Result(
        output=output,
        kind=kind,
        platform=platform,
        size=size,
        installed=installed,
        requirements_source=requirements_source,
        bytecode_python=bytecode_python,
        bytecode_files=compiled_count,
        warnings=warnings,
        skipped=skipped,
        sam_files=sam_files,
        commands=commands,
        names=sorted(tree),
    )
    display.summary(summary_lines(options, result_obj))
    return result_obj


def _compile(
    options: PackageOptions,
    platform: Platform,
    tree: Tree,
    scratch: pathlib.Path,
    warn: Callable[[str], None],
) -> tuple[str | None, int]:
    from .bytecode import CompileFailed, compile_tree
    from .interpreter import find_python

    python, tried = find_python(platform.python, options.build_python)
    explicit = options.build_python or os.environ.get("LAMBDAGO_BUILD_PYTHON")
    if python is None:
        if explicit:
            raise PackageError(
                f"{explicit} is not a CPython {platform.python} interpreter "
                "(--build-python / LAMBDAGO_BUILD_PYTHON)"
            )
        warn(
            f"no Python {platform.python} interpreter found on this machine (looked for "
            f"python{platform.python} on PATH and in {len(tried)} other places): the package "
            "has no bytecode, so each cold start compiles every module it imports. Install "
            f"Python {platform.python}, or name it with --build-python PATH."
        )
        return None, 0
    try:
        compiled, failed = compile_tree(
            tree, python, scratch, mount="/opt" if options.layer else "/var/task"
        )
    except CompileFailed as exc:
        warn(f"{exc}; the package has no bytecode")
        return None, 0
    if failed:
        names = ", ".join(f"{name} ({error})" for name, error in failed[:5])
        more = f" and {len(failed) - 5} more" if len(failed) > 5 else ""
        warn(f"{len(failed)} file(s) did not compile and ship as source only: {names}{more}")
    tree.update(compiled)
    return python, len(compiled)


def _size(tree: Tree, prefix: str) -> SizeReport:
    unzipped = sum(entry.size for entry in tree.values())
    return SizeReport(None, unzipped, len(tree), group_sizes(tree, prefix))


def _write_image(options: PackageOptions, tree: Tree, output: pathlib.Path) -> None:
    task = output / "task"
    if task.exists():
        shutil.rmtree(task)
    output.mkdir(parents=True, exist_ok=True)
    write_dir(tree, task)
    (output / "Dockerfile").write_bytes(outputs.dockerfile(options, __version__))
    os.chmod(output / "Dockerfile", 0o644)


def _write_sam(options: PackageOptions) -> list[pathlib.Path]:
    written = []
    template = options.project / "template.yaml"
    template.write_bytes(outputs.sam_template(options, __version__))
    written.append(template)
    if options.target != "image":
        makefile = options.project / "Makefile"
        makefile.write_bytes(outputs.sam_makefile(options, __version__))
        written.append(makefile)
    return written


def _lambdago_dir() -> pathlib.Path:
    from .selfsource import package_dir

    return package_dir()


def _shown_path(path: pathlib.Path) -> str:
    """Relative to the current directory when under it, else absolute."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


_QUIET_REASONS = ("cache or build output", "tests")


def _left_out_lines(skipped: list[Skipped]) -> list[str]:
    """What the project had that the package has not, by reason (secrets first)."""
    by_reason: dict[str, list[str]] = {}
    for item in skipped:
        by_reason.setdefault(item.reason, []).append(item.path)
    order = sorted(by_reason, key=lambda r: (r != "secret", "symlink" not in r, r))
    lines = []
    quiet = 0
    for reason in order:
        paths = by_reason[reason]
        if reason in _QUIET_REASONS:
            quiet += len(paths)
            continue
        shown = ", ".join(paths[:6]) + (f" and {len(paths) - 6} more" if len(paths) > 6 else "")
        lines.append(f"  left out:  {shown} ({reason})")
    if quiet:
        lines.append(f"  left out:  {quiet} more (tests, caches, build output)")
    if lines:
        lines.append("             --include PATTERN ships a file left out")
    return lines


def summary_lines(options: PackageOptions, result: Result) -> list[str]:
    """The summary printed at the end."""
    platform = result.platform
    where = _shown_path(result.output)
    what = {"zip": "layer" if options.layer else "function", "folder": "files", "image": "image"}
    runtime = {
        "provided": platform.runtime,
        "image": "container image (provided:al2023)",
        "managed": f"python{platform.python} + exec wrapper",
    }[options.target]
    size = result.size
    sizes = f"{human(size.unzipped)} unzipped, {size.files} files"
    if size.zipped is not None:
        sizes = f"{human(size.zipped)} zipped, " + sizes
    lines = [
        f"lambdago: wrote {what[result.kind]} {where}",
        f"  target:    {runtime}, Python {platform.python}, {platform.arch} "
        f"(wheels: {platform.describe()})",
        f"  handler:   {options.handler}" if not options.layer else "  contents:  dependencies",
        f"  size:      {sizes}",
        f"  largest:   {size.largest_text(6)}",
    ]
    if options.dependencies:
        deps = ", ".join(f"{name} {version}" for name, version in result.installed)
        source = result.requirements_source
        source = "lambdago's own" if source == "none" else f"{source} and lambdago's"
        lines.append(f"  installed: {deps} ({source} requirements)")
        lines.append(f"  lambdago:  {__version__}, from {_shown_path(_lambdago_dir())}")
    if result.bytecode_python:
        lines.append(f"  bytecode:  {result.bytecode_files} modules, by {result.bytecode_python}")
    elif options.bytecode:
        lines.append("  bytecode:  none (no interpreter of the target version: see the warning)")
    else:
        lines.append("  bytecode:  none (--no-bytecode)")
    lines += _left_out_lines(result.skipped)
    for path in result.sam_files:
        lines.append(f"  SAM:       {_shown_path(path)}")
    if options.sam and options.target != "image":
        lines.append("  then:      sam build && sam deploy --guided")
    lines.append("  deploy with the AWS CLI:")
    lines += [f"    {command}" for command in result.commands]
    return lines
