"""The deterministic zip writer, and ``lambdago zip`` (build-lambda-zip's job) as a process."""

from __future__ import annotations

import os
import pathlib
import stat
import sys
import zipfile

import pytest

from lambdago.package.zipwriter import (
    Entry,
    add_parents,
    check_arcname,
    file_mode,
    write_dir,
    write_zip,
)

from .conftest import ROOT_DIR, emulator, run_cli, unpack


def modes(path: pathlib.Path) -> dict[str, int]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: i.external_attr >> 16 for i in zf.infolist()}


def test_same_files_same_bytes_whatever_the_disk_says(tmp_path: pathlib.Path) -> None:
    a = tmp_path / "a"
    b = tmp_path / "b"
    for root, mode, mtime in ((a, 0o600, 1_000_000_000), (b, 0o664, 1_700_000_000)):
        (root / "pkg").mkdir(parents=True)
        for name, text in (("pkg/mod.py", "x = 1\n"), ("data.txt", "d"), ("run.sh", "#!/bin/sh\n")):
            path = root / name
            path.write_text(text)
            os.chmod(path, mode | (0o111 if name == "run.sh" else 0))
            os.utime(path, (mtime, mtime))
    out = []
    for root in (a, b):
        tree = {
            rel: Entry(source=str(root / rel), mode=file_mode(rel, os.stat(root / rel).st_mode))
            for rel in ("pkg/mod.py", "data.txt", "run.sh")
        }
        tree["bootstrap"] = Entry(data=b"#!/bin/sh\n", mode=file_mode("bootstrap"))
        write_zip(tree, root / "out.zip")
        out.append((root / "out.zip").read_bytes())
    assert out[0] == out[1]
    got = modes(a / "out.zip")
    assert got == {
        "bootstrap": stat.S_IFREG | 0o755,
        "data.txt": stat.S_IFREG | 0o644,
        "pkg/": stat.S_IFDIR | 0o755,
        "pkg/mod.py": stat.S_IFREG | 0o644,
        "run.sh": stat.S_IFREG | 0o755,
    }
    with zipfile.ZipFile(a / "out.zip") as zf:
        assert [i.filename for i in zf.infolist()] == [
            "bootstrap",
            "data.txt",
            "pkg/",
            "pkg/mod.py",
            "run.sh",
        ]
        for info in zf.infolist():
            assert info.create_system == 3 and info.date_time == (1980, 1, 1, 0, 0, 0)
        assert zf.read("pkg/mod.py") == b"x = 1\n"


def test_executable_rules() -> None:
    assert file_mode("bootstrap") == 0o755  # without any bit on disk
    assert file_mode("bootstrap", 0o644) == 0o755
    assert file_mode("bin/tool", 0o644) == 0o755
    assert file_mode("pkg/bin/tool") == 0o755
    assert file_mode("pkg/bootstrap") == 0o644  # only the root's bootstrap
    assert file_mode("binary/x") == 0o644
    assert file_mode("x.so", 0o755) == 0o755
    assert file_mode("x.py", 0o600) == 0o644


def test_order_puts_each_directory_before_its_contents() -> None:
    names = add_parents(["a.b", "a/c", "a/b/d", "z", "a-b/x"])
    assert names == ["a/", "a/b/", "a/b/d", "a/c", "a-b/", "a-b/x", "a.b", "z"]


@pytest.mark.parametrize(
    "name", ["", "/etc/passwd", "../x", "a/../../b", "a/..", "a//b", "./a", "C:/x", "a\\b", "a\0"]
)
def test_no_entry_escapes_the_root(name: str, tmp_path: pathlib.Path) -> None:
    with pytest.raises(ValueError, match="unsafe path"):
        check_arcname(name)
    out = tmp_path / "x.zip"
    with pytest.raises(ValueError, match="unsafe path"):
        write_zip({name: Entry(data=b"x", mode=0o644), "ok": Entry(data=b"", mode=0o644)}, out)
    assert not out.exists() and list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="unsafe path"):
        write_dir({name: Entry(data=b"x", mode=0o644)}, tmp_path / "d")


def test_symlink_entries(tmp_path: pathlib.Path) -> None:
    link = stat.S_IFLNK | 0o777
    tree = {
        "exe": Entry(data=b"#!/bin/sh\n", mode=0o755),
        "bootstrap": Entry(data=b"exe", mode=link),
    }
    write_zip(tree, tmp_path / "ok.zip")
    assert modes(tmp_path / "ok.zip")["bootstrap"] == link
    for target in (b"../exe", b"/bin/sh", b"a/../../x"):
        bad = {"bootstrap": Entry(data=target, mode=link)}
        with pytest.raises(ValueError, match="unsafe symlink"):
            write_zip(bad, tmp_path / "bad.zip")
        with pytest.raises(ValueError, match="unsafe symlink"):
            write_dir(bad, tmp_path / "bad")


def test_write_dir_modes(tmp_path: pathlib.Path) -> None:
    source = tmp_path / "s.py"
    source.write_text("x")
    os.chmod(source, 0o600)
    write_dir(
        {
            "bootstrap": Entry(data=b"#!/bin/sh\n", mode=0o755),
            "pkg/s.py": Entry(source=str(source), mode=0o644),
        },
        tmp_path / "out",
    )
    assert os.stat(tmp_path / "out" / "bootstrap").st_mode & 0o777 == 0o755
    assert os.stat(tmp_path / "out" / "pkg").st_mode & 0o777 == 0o755
    assert os.stat(tmp_path / "out" / "pkg" / "s.py").st_mode & 0o777 == 0o644


@pytest.mark.usefixtures("clean_environ")
def test_lambdago_zip_command(tmp_path: pathlib.Path) -> None:
    """Like build-lambda-zip: each file at the root by its base name, the executable 0755
    even without the bit (a file from Windows), a bootstrap symlink to it; the zip runs."""
    src = tmp_path / "src"
    (src / "deep" / "er").mkdir(parents=True)
    exe = src / "handler-exe"
    raw = (ROOT_DIR / "tests" / "emulator" / "functions" / "raw_bootstrap.py").read_text()
    exe.write_text(f"#!{sys.executable}\n{raw}")
    os.chmod(exe, 0o644)  # as it arrives from a Windows checkout
    (src / "deep" / "er" / "config.json").write_text("{}")
    script = src / "helper.sh"
    script.write_text("#!/bin/sh\necho hi\n")
    os.chmod(script, 0o644)
    elf = src / "tool"
    elf.write_bytes(b"\x7fELF" + b"\0" * 60)
    os.chmod(elf, 0o600)
    out = tmp_path / "fn.zip"
    args = ["zip", "-o", str(out), str(exe), str(src / "deep" / "er" / "config.json")]
    done = run_cli([*args, str(script), str(elf)])
    assert done.returncode == 0, done.stderr
    assert modes(out) == {
        "bootstrap": stat.S_IFLNK | 0o777,
        "config.json": stat.S_IFREG | 0o644,
        "handler-exe": stat.S_IFREG | 0o755,
        "helper.sh": stat.S_IFREG | 0o755,
        "tool": stat.S_IFREG | 0o755,
    }
    with zipfile.ZipFile(out) as zf:
        assert zf.read("bootstrap") == b"handler-exe"
    task = unpack(out, tmp_path / "task")
    with emulator(task, None) as emu:
        r = emu.invoke(b'{"hello": "zip"}')
    assert r.status == 200 and r.function_error is None, r.payload
    # Byte-identical on a second run; the default name is the executable's.
    again = run_cli(
        ["zip", str(exe), str(src / "deep" / "er" / "config.json"), str(script), str(elf)],
        cwd=tmp_path,
    )
    assert again.returncode == 0
    assert (tmp_path / "handler-exe.zip").read_bytes() == out.read_bytes()
    # Two files with one base name cannot both be at the root.
    (src / "deep" / "tool").write_text("x")
    done = run_cli(["zip", "-o", str(out), str(exe), str(elf), str(src / "deep" / "tool")])
    assert done.returncode == 1 and "two files are named tool" in done.stderr
    # A file named bootstrap needs no link.
    boot = src / "bootstrap"
    boot.write_text("#!/bin/sh\n")
    done = run_cli(["zip", "-o", str(out), str(boot)])
    assert done.returncode == 0
    assert modes(out) == {"bootstrap": stat.S_IFREG | 0o755}
    done = run_cli(["zip", "-o", str(out), str(src)])
    assert done.returncode == 1 and "is not a file" in done.stderr
