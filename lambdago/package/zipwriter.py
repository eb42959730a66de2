"""The deterministic zip writer: the same files give the same bytes, on any machine's
file system.

A package is a :class:`Tree`: zip paths (``arcname``) mapped to :class:`Entry` objects (a
file on disk, or bytes, and a Unix mode). :func:`write_zip` writes it with

* entries sorted by name, each directory before its contents, every parent directory
  present as its own entry;
* one fixed timestamp (1980-01-01 00:00, the earliest a zip can hold);
* Unix permissions (``create_system = 3``, the mode in ``external_attr``): directories
  0755, files 0644, and 0755 for executables: a file executable on disk, the
  ``bootstrap``, and anything in a ``bin/`` folder, whatever the file system says
  (files from Windows, or a checkout that lost its modes, still run);
* names checked: no absolute path, no ``..``, no empty or ``.`` component, no backslash,
  so no entry can land outside the folder it is unpacked into.

:func:`write_dir` writes the same tree as files (a container image's build context, the
artifacts folder of ``sam build``), with the same modes.
"""

from __future__ import annotations

import os
import pathlib
import stat
import zipfile

__all__ = [
    "EPOCH",
    "Entry",
    "Tree",
    "add_parents",
    "check_arcname",
    "executable_by_rule",
    "write_dir",
    "write_zip",
    "zip_files",
]

EPOCH = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644
EXEC_MODE = 0o755
DIR_MODE = 0o755
COMPRESS_LEVEL = 9
_CHUNK = 1 << 20


class Entry:
    """One file of a package: its content (a path on disk, or bytes) and its mode."""

    __slots__ = ("data", "mode", "source")

    def __init__(self, *, source: str | None = None, data: bytes | None = None, mode: int) -> None:
        if (source is None) == (data is None):
            raise ValueError("an Entry has either a source file or data")
        self.source = source
        self.data = data
        self.mode = mode

    def __repr__(self) -> str:
        where = self.source if self.source is not None else f"{len(self.data or b'')} bytes"
        return f"Entry({where}, mode={self.mode:o})"

    @property
    def is_link(self) -> bool:
        """A symbolic link: ``data`` is its target."""
        return stat.S_ISLNK(self.mode)

    @property
    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.source is not None
        return os.stat(self.source).st_size

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.source is not None
        with open(self.source, "rb") as f:
            return f.read()


Tree = dict[str, Entry]


def check_arcname(name: str) -> str:
    """``name`` if it is a safe relative zip path; raises ValueError otherwise."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        raise ValueError(f"unsafe path in a package: {name!r}")
    if len(name) > 1 and name[1] == ":":
        raise ValueError(f"unsafe path in a package (a drive letter): {name!r}")
    for part in name.split("/"):
        if part in ("", ".", ".."):
            raise ValueError(f"unsafe path in a package: {name!r}")
    return name


def executable_by_rule(name: str) -> bool:
    """Files that must be executable whatever the disk says: ``bootstrap`` at the root (or
    at a layer's root), and anything inside a ``bin/`` folder."""
    parts = name.split("/")
    return (len(parts) == 1 and parts[0] == "bootstrap") or "bin" in parts[:-1]


def file_mode(name: str, disk_mode: int | None = None) -> int:
    """0755 for an executable (by :func:`executable_by_rule`, or executable on disk), else
    0644."""
    if executable_by_rule(name):
        return EXEC_MODE
    if disk_mode is not None and disk_mode & 0o111:
        return EXEC_MODE
    return FILE_MODE


def add_parents(names: list[str] | set[str] | dict[str, Entry]) -> list[str]:
    """Every file name and every parent directory (``dir/``), sorted: each directory comes
    right before its contents."""
    out: set[str] = set()
    for name in names:
        check_arcname(name)
        out.add(name)
        parts = name.split("/")
        for i in range(1, len(parts)):
            out.add("/".join(parts[:i]) + "/")
    # Sort by path components, so that "a/" < "a/b" < "a.b" (plain string order would put
    # "a.b" between "a" and "a/").
    return sorted(out, key=lambda n: n.rstrip("/").split("/"))


def _zipinfo(name: str, mode: int, is_dir: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=EPOCH)
    info.create_system = 3  # Unix: external_attr's high 16 bits are st_mode
    if is_dir:
        info.external_attr = ((stat.S_IFDIR | DIR_MODE) << 16) | 0x10  # 0x10: MS-DOS directory
        info.compress_type = zipfile.ZIP_STORED
    elif stat.S_ISLNK(mode):
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        info.compress_type = zipfile.ZIP_STORED
    else:
        info.external_attr = (stat.S_IFREG | mode) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        # ZipFile.open(info, "w") takes the level from the ZipInfo (named compress_level
        # from Python 3.13, with _compresslevel kept as an alias).
        setattr(info, "_compresslevel", COMPRESS_LEVEL)  # noqa: B010
    return info


def write_zip(tree: Tree, path: str | os.PathLike[str]) -> None:
    """Write ``tree`` as a zip at ``path`` (atomically: a temporary file, then a rename)."""
    target = pathlib.Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(temporary, "w", compresslevel=COMPRESS_LEVEL) as zf:
            for name in add_parents(tree):
                if name.endswith("/"):
                    zf.writestr(_zipinfo(name, DIR_MODE, True), b"")
                    continue
                entry = tree[name]
                info = _zipinfo(name, entry.mode, False)
                if entry.is_link:
                    _check_link(name, entry)
                    zf.writestr(info, entry.read())
                    continue
                if entry.data is not None:
                    zf.writestr(info, entry.data, compresslevel=COMPRESS_LEVEL)
                    continue
                assert entry.source is not None
                size = os.stat(entry.source).st_size
                info.file_size = size
                with (
                    open(entry.source, "rb") as src,
                    zf.open(info, "w", force_zip64=size > 0x7FFFFFFF) as dst,
                ):
                    while chunk := src.read(_CHUNK):
                        dst.write(chunk)
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()


def write_dir(tree: Tree, root: str | os.PathLike[str]) -> None:
    """Write ``tree`` as files under ``root`` (created if needed), with the same modes."""
    base = pathlib.Path(root)
    base.mkdir(parents=True, exist_ok=True)
    os.chmod(base, DIR_MODE)
    for name in add_parents(tree):
        target = base.joinpath(*name.rstrip("/").split("/"))
        if name.endswith("/"):
            target.mkdir(exist_ok=True)
            os.chmod(target, DIR_MODE)
            continue
        entry = tree[name]
        if target.is_symlink() or target.exists():
            target.unlink()
        if entry.is_link:
            _check_link(name, entry)
            os.symlink(entry.read().decode(), target)
            continue
        if entry.data is not None:
            target.write_bytes(entry.data)
        else:
            assert entry.source is not None
            with open(entry.source, "rb") as src, open(target, "wb") as dst:
                while chunk := src.read(_CHUNK):
                    dst.write(chunk)
        os.chmod(target, entry.mode)


def _check_link(name: str, entry: Entry) -> None:
    """A link must point at a file of the package: relative, and never above the root."""
    link = entry.read().decode("utf-8")
    folder = name.rpartition("/")[0]
    joined = f"{folder}/{link}" if folder else link
    parts: list[str] = []
    for part in joined.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise ValueError(f"unsafe symlink in a package: {name} -> {link}")
            parts.pop()
        else:
            parts.append(part)
    if link.startswith("/") or "\\" in link or not parts:
        raise ValueError(f"unsafe symlink in a package: {name} -> {link}")


def _looks_executable(path: str, disk_mode: int) -> bool:
    """Executable on disk, or an ELF binary or a ``#!`` script (a file from Windows)."""
    if disk_mode & 0o111:
        return True
    with open(path, "rb") as f:
        head = f.read(4)
    return head == b"\x7fELF" or head.startswith(b"#!")


def zip_files(
    output: str | os.PathLike[str], files: list[str], *, bootstrap_link: bool = True
) -> list[str]:
    """``lambdago zip``: each file at the zip's root by its base name, as
    ``build-lambda-zip`` does. The first file is the executable (0755 whatever the disk
    says), and so is any other that is executable on disk, an ELF binary or a ``#!``
    script; the rest are 0644. When the executable is not named ``bootstrap`` and no file
    is, a ``bootstrap`` symlink to it is added (what an OS-only runtime starts). Returns
    the names written."""
    tree: Tree = {}
    for index, path in enumerate(files):
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{path} is not a file")
        name = os.path.basename(path.replace("\\", "/").rstrip("/"))
        check_arcname(name)
        if name in tree:
            raise ValueError(f"two files are named {name}: the zip holds each at its root")
        executable = index == 0 or name == "bootstrap" or _looks_executable(path, info.st_mode)
        tree[name] = Entry(source=path, mode=EXEC_MODE if executable else FILE_MODE)
    first = os.path.basename(files[0].replace("\\", "/"))
    if bootstrap_link and "bootstrap" not in tree:
        tree["bootstrap"] = Entry(data=first.encode(), mode=stat.S_IFLNK | 0o777)
    write_zip(tree, output)
    return sorted(tree)
