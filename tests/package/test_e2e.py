"""Packages run as Lambda runs them: unpacked into a task root, ``bootstrap`` started with
Lambda's environment under the emulator."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest

from .conftest import (
    HELLO,
    TARGET,
    emulator,
    make_project,
    package,
    python_for,
    run_cli,
    unpack,
)

pytestmark = pytest.mark.usefixtures("clean_environ")


def test_function_with_dependencies_runs(deps_task: pathlib.Path) -> None:
    python = python_for(TARGET)
    with emulator(deps_task, python) as emu:
        r = emu.invoke(b'{"name": "Ada"}')
        assert r.status == 200 and r.function_error is None, r.payload
        body = r.json()
        failed = emu.invoke(b'{"action": "fail"}')
    assert body["greeting"] == "Hello, Ada!"
    assert body["parsed"] == "2024-02-29T12:00:00+00:00"
    assert body["packed"] == "9201a374776f"
    assert body["orjson"] == '{"a":1}'
    assert body["version"] == TARGET
    assert body["request_id"] == r.request_id
    # Every module came from the package: nothing from the building machine.
    root = str(deps_task)
    for name, path in body["files"].items():
        assert path.startswith(root + os.sep), (name, path)
    assert body["files"]["msgpack"].endswith(".so")
    assert body["no_site"] == 1  # python -S
    assert body["sys_path"][0] == root
    assert body["sys_path"][1:] == [
        f"/opt/python/lib/python{TARGET}/site-packages",
        "/opt/python",
    ]
    tag = f"cpython-{TARGET.replace('.', '')}"
    for name, cached in body["cached"].items():
        assert cached and cached.startswith(root) and tag in cached, (name, cached)
    assert failed.function_error == "Unhandled"
    assert failed.json()["errorType"] == "ValueError"


def test_bytecode_is_used_without_checking_the_source(deps_task: pathlib.Path) -> None:
    """unchecked-hash: the shipped bytecode is what runs, even if the source changed
    (the zip's fixed timestamps would otherwise invalidate timestamp-based bytecode)."""
    python = python_for(TARGET)
    greet = deps_task / "helpers" / "greet.py"
    greet.write_text('def greeting(name):\n    return "CHANGED"\n')
    with emulator(deps_task, python) as emu:
        r = emu.invoke(b'{"name": "Ada"}')
    assert r.json()["greeting"] == "Hello, Ada!"
    # Without its bytecode, the changed source is what runs: the check above is meaningful.
    for pyc in (deps_task / "helpers" / "__pycache__").glob("greet.*.pyc"):
        pyc.unlink()
    with emulator(deps_task, python) as emu:
        assert emu.invoke(b'{"name": "Ada"}').json()["greeting"] == "CHANGED"


def test_zip_layout_and_modes(deps_zip: pathlib.Path) -> None:
    with zipfile.ZipFile(deps_zip) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    modes = {i.filename: i.external_attr >> 16 for i in infos}
    assert names == sorted(names, key=lambda n: n.rstrip("/").split("/"))
    for info in infos:
        assert info.create_system == 3, info.filename
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert not info.filename.startswith("/") and ".." not in info.filename.split("/")
        mode = modes[info.filename]
        if info.is_dir():
            assert mode == stat.S_IFDIR | 0o755, info.filename
        else:
            assert stat.S_IMODE(mode) in (0o644, 0o755) and stat.S_ISREG(mode), info.filename
    assert modes["bootstrap"] == stat.S_IFREG | 0o755
    assert modes["app.py"] == stat.S_IFREG | 0o644
    # Every parent directory has its own entry.
    for name in names:
        parts = name.rstrip("/").split("/")
        for i in range(1, len(parts)):
            assert "/".join(parts[:i]) + "/" in names
    # The root: bootstrap, the code, the dependencies and lambdago.
    top = {n.split("/")[0] for n in names}
    assert {"bootstrap", "app.py", "helpers", "lambdago", "dateutil", "six.py", "msgpack"} <= top
    assert {"orjson", "attr", "cattrs", "typing_extensions.py"} <= top
    assert any(n.startswith("lambdago-") and n.endswith(".dist-info/METADATA") for n in names)
    # lambdago without its build-time parts.
    assert not any(n.startswith(("lambdago/emulator/", "lambdago/package/")) for n in names)
    assert "lambdago/cli.py" not in names
    # Left out: tests, secrets, VCS, virtualenvs, dist, pip's records and console scripts.
    for banned in (".env", ".git/", ".venv/", "dist/", "tests/", "conftest.py", "keys/server.pem"):
        assert not any(n == banned or n.startswith(banned) for n in names), banned
    assert not any(n.endswith(".dist-info/RECORD") for n in names)
    assert not any(n.startswith("bin/") for n in names)
    # Bytecode for this Python only, for every module.
    tag = f".cpython-{TARGET.replace('.', '')}.pyc"
    pycs = [n for n in names if n.endswith(".pyc")]
    assert pycs and all(n.endswith(tag) and "/__pycache__/" in "/" + n for n in pycs)
    sources = [n for n in names if n.endswith(".py")]
    missing = [
        s
        for s in sources
        if f"{s.rpartition('/')[0]}/__pycache__/{s.rpartition('/')[2][:-3]}{tag}".lstrip("/")
        not in names
    ]
    assert missing == []


def test_bytecode_is_unchecked_hash(deps_zip: pathlib.Path) -> None:
    import importlib.util

    with zipfile.ZipFile(deps_zip) as zf:
        data = zf.read(f"__pycache__/app.cpython-{TARGET.replace('.', '')}.pyc")
        source = zf.read("app.py")
    assert data[:4] == importlib.util.MAGIC_NUMBER  # this Python's magic
    flags = int.from_bytes(data[4:8], "little")
    assert flags == 0b01  # hash-based, check_source off
    assert data[8:16] == importlib.util.source_hash(source)


def test_rebuild_is_byte_identical(deps_project: pathlib.Path, deps_zip: pathlib.Path) -> None:
    other = deps_zip.parent / "again.zip"
    package(deps_project, "--handler", "app.handler", "--python", TARGET, "--output", str(other))
    assert other.read_bytes() == deps_zip.read_bytes()


def test_hello_world_size(tmp_path: pathlib.Path) -> None:
    project = make_project(tmp_path / "hello", {"hello.py": HELLO})
    out = tmp_path / "hello.zip"
    done = package(project, "--handler", "hello.handler", "--python", TARGET, "-o", str(out))
    size = out.stat().st_size
    print(f"hello-world package: {size} bytes zipped")
    assert size <= 1.5 * 1024 * 1024
    assert "zipped" in done.stdout
    task = unpack(out, tmp_path / "task")
    with emulator(task, python_for(TARGET)) as emu:
        assert emu.invoke(b'{"name": "Ada"}').json() == {"message": "Hello, Ada!"}


def elf_machine(path: pathlib.Path) -> int:
    data = path.read_bytes()[:20]
    assert data[:4] == b"\x7fELF", path
    return int.from_bytes(data[18:20], "little")


@pytest.mark.parametrize(("arch", "machine"), [("arm64", 183), ("x86_64", 62)])
def test_cross_architecture_wheels(tmp_path: pathlib.Path, arch: str, machine: int) -> None:
    """Built on this machine for the other architecture too: the ELF files say which."""
    project = make_project(tmp_path / "p", {"app.py": HELLO, "requirements.txt": "msgpack\n"})
    out = tmp_path / "f.zip"
    package(project, "--handler", "app.handler", "--arch", arch, "--python", "3.12", "-o", str(out))
    task = unpack(out, tmp_path / "task")
    shared = sorted(task.rglob("*.so"))
    assert {p.parts[len(task.parts)] for p in shared} >= {"orjson", "msgpack"}
    for path in shared:
        assert elf_machine(path) == machine, path
        assert ("aarch64" if arch == "arm64" else "x86_64") in path.name
        assert "cpython-312" in path.name or "abi3" in path.name


def test_other_python_version(tmp_path: pathlib.Path) -> None:
    """A package for another Python than the one building it, run by that Python."""
    version = "3.12" if TARGET != "3.12" else "3.13"
    python = python_for(version)
    project = make_project(tmp_path / "p", {"app.py": HELLO})
    out = tmp_path / "f.zip"
    package(project, "--handler", "app.handler", "--python", version, "-o", str(out))
    task = unpack(out, tmp_path / "task")
    tag = f"cpython-{version.replace('.', '')}"
    assert (task / "__pycache__" / f"app.{tag}.pyc").is_file()
    assert all(tag in p.name for p in task.rglob("*.pyc"))
    with emulator(task, python) as emu:
        assert emu.invoke(b'{"name": "Bo"}').json() == {"message": "Hello, Bo!"}
    # The wrong interpreter is refused with a clear message, before anything runs.
    with emulator(task, sys.executable) as emu:
        r = emu.invoke(b"{}")
    assert r.function_error == "Unhandled"
    assert r.json()["errorType"] == "Runtime.ExitError"
    assert "exit status 127" in r.json()["errorMessage"]
    env = {"LAMBDA_TASK_ROOT": str(task), "LAMBDAGO_PYTHON": sys.executable, "PATH": "/bin"}
    done = subprocess.run([str(task / "bootstrap")], env=env, capture_output=True, text=True)
    assert done.returncode == 127
    assert f"is Python {TARGET}, but this package was built for Python {version}" in done.stderr
    assert f"package again with --python {TARGET}" in done.stderr


def test_interpreter_not_found(deps_task: pathlib.Path, tmp_path: pathlib.Path) -> None:
    """No LAMBDAGO_PYTHON, no layer, no managed runtime: exit 127, and where it looked."""

    opt = tmp_path / "opt"
    opt.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "LAMBDA_TASK_ROOT": str(deps_task),
        "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9",
        "LAMBDAGO_OPT_ROOT": str(opt),
    }
    done = subprocess.run([str(deps_task / "bootstrap")], env=env, capture_output=True, text=True)
    assert done.returncode == 127
    assert "no Python interpreter found" in done.stderr
    for place in (
        "$LAMBDAGO_PYTHON (not set)",
        f"{opt}/python/bin/python{TARGET}",
        f"{opt}/python/bin/python3",
        f"{opt}/bin/python3",
        f"/var/lang/bin/python{TARGET}",
        "/var/lang/bin/python3",
    ):
        assert place in done.stderr, place
    env["LAMBDAGO_PYTHON"] = str(tmp_path / "nope")
    done = subprocess.run([str(deps_task / "bootstrap")], env=env, capture_output=True, text=True)
    assert done.returncode == 127
    assert "LAMBDAGO_PYTHON=" in done.stderr and "not an executable" in done.stderr


def test_interpreter_from_a_python_layer(deps_task: pathlib.Path, tmp_path: pathlib.Path) -> None:
    """Without LAMBDAGO_PYTHON, a layer's /opt/python/bin/pythonX.Y is found."""
    python = python_for(TARGET)
    opt = tmp_path / "opt"
    (opt / "python" / "bin").mkdir(parents=True)
    os.symlink(python, opt / "python" / "bin" / f"python{TARGET}")
    with emulator(deps_task, None, env={"LAMBDAGO_OPT_ROOT": str(opt)}) as emu:
        r = emu.invoke(b'{"name": "Layer"}')
    assert r.json()["greeting"] == "Hello, Layer!"
    assert r.json()["sys_path"][1:] == [
        f"{opt}/python/lib/python{TARGET}/site-packages",
        f"{opt}/python",
    ]


def test_handler_override(deps_task: pathlib.Path, tmp_path: pathlib.Path) -> None:
    (deps_task / "other.py").write_text('def go(ctx, event):\n    return {"other": True}\n')
    with emulator(deps_task, python_for(TARGET), env={"LAMBDAGO_HANDLER": "other.go"}) as emu:
        assert emu.invoke(b"{}").json() == {"other": True}


def test_layer_and_code_deployed_separately(tmp_path: pathlib.Path) -> None:
    """--layer: the dependencies (and lambdago) under python/lib/pythonX.Y/site-packages;
    --no-dependencies: the code alone. Unpacked into /opt and /var/task, they run."""
    project = make_project(
        tmp_path / "p",
        {
            "app.py": "import six\n\ndef handler(ctx, event):\n"
            "    import lambdago, sys\n"
            "    return {'six': six.__file__, 'lambdago': lambdago.__file__,"
            " 'path': sys.path[:3]}\n",
            "requirements.txt": "six\n",
        },
    )
    layer = tmp_path / "layer.zip"
    code = tmp_path / "code.zip"
    package(project, "--layer", "--python", TARGET, "-o", str(layer))
    package(
        project,
        "--handler",
        "app.handler",
        "--no-dependencies",
        "--python",
        TARGET,
        "-o",
        str(code),
    )
    site = f"python/lib/python{TARGET}/site-packages/"
    with zipfile.ZipFile(layer) as zf:
        layer_names = zf.namelist()
    assert all(n == "python/" or n.startswith(("python/lib/", site)) for n in layer_names)
    assert f"{site}six.py" in layer_names and f"{site}lambdago/__init__.py" in layer_names
    assert f"{site}orjson/" in layer_names
    assert "bootstrap" not in layer_names and not any(n.endswith("app.py") for n in layer_names)
    with zipfile.ZipFile(code) as zf:
        code_names = zf.namelist()
    assert "bootstrap" in code_names and "app.py" in code_names
    assert not any(n.startswith(("six", "lambdago", "orjson")) for n in code_names)
    opt = unpack(layer, tmp_path / "opt")
    task = unpack(code, tmp_path / "task")
    with emulator(task, python_for(TARGET), env={"LAMBDAGO_OPT_ROOT": str(opt)}) as emu:
        r = emu.invoke(b"{}")
    body = r.json()
    assert body["six"] == f"{opt}/{site}six.py"
    assert body["lambdago"] == f"{opt}/{site}lambdago/__init__.py"
    assert body["path"] == [str(task), f"{opt}/{site}".rstrip("/"), f"{opt}/python"]


def test_missing_wheel_is_a_clear_error(tmp_path: pathlib.Path) -> None:
    """docopt publishes only a source distribution: no wheel for any platform."""
    project = make_project(tmp_path / "p", {"app.py": HELLO, "requirements.txt": "docopt\n"})
    done = run_cli(["package", str(project), "--handler", "app.handler", "--python", TARGET])
    assert done.returncode == 1
    message = done.stderr
    assert "lambdago: error: no wheel of docopt for CPython" in message
    assert "only as source distributions" in message
    assert not (project / "dist" / "function.zip").exists()
    # An unsatisfiable version of a package that has wheels says so.
    (project / "requirements.txt").write_text("six<0.0.1\n")
    done = run_cli(["package", str(project), "--handler", "app.handler", "--python", TARGET])
    assert done.returncode == 1
    assert "no wheel of six<0.0.1" in done.stderr and "none satisfies" in done.stderr
    # A name the index does not have.
    (project / "requirements.txt").write_text("lambdago-no-such-package-zz9\n")
    done = run_cli(["package", str(project), "--handler", "app.handler", "--python", TARGET])
    assert done.returncode == 1
    assert "has no package named 'lambdago-no-such-package-zz9'" in done.stderr


def test_oversize_packages(tmp_path: pathlib.Path) -> None:
    project = make_project(tmp_path / "p", {"app.py": HELLO})
    # Over 250 MB unzipped (a sparse file: no disk used): an error, and no zip.
    with open(project / "huge.bin", "wb") as f:
        f.truncate(260 * 1024 * 1024)
    done = run_cli(["package", str(project), "--handler", "app.handler", "--no-bytecode"])
    assert done.returncode == 1
    assert "unzipped: Lambda's limit is 250.0 MB" in done.stderr
    assert "Largest: huge.bin 260.0 MB" in done.stderr
    assert not (project / "dist" / "function.zip").exists()
    # Over 50 MB zipped (incompressible): a warning, the zip, and an S3 upload command.
    (project / "huge.bin").unlink()
    (project / "noise.bin").write_bytes(os.urandom(51 * 1024 * 1024))
    done = run_cli(["package", str(project), "--handler", "app.handler", "--no-bytecode"])
    assert done.returncode == 0, done.stderr
    assert re.search(
        r"warning: the zip is 5\d\.\d MB: a direct upload \(--zip-file\) fails above 50\.0 MB",
        done.stderr,
    )
    assert "Largest: noise.bin 51.0 MB" in done.stderr
    assert "aws s3 cp" in done.stdout and "--code S3Bucket=<BUCKET>" in done.stdout
    assert (project / "dist" / "function.zip").stat().st_size > 50 * 1024 * 1024


def test_pyproject_dependencies(tmp_path: pathlib.Path) -> None:
    project = make_project(
        tmp_path / "p",
        {
            "app.py": "import six\n\ndef handler(ctx, event):\n    return {'six': six.__file__}\n",
            "pyproject.toml": '[project]\nname = "fn"\nversion = "1"\n'
            'dependencies = ["six>=1.16", "lambdago>=0.1"]\n',
        },
    )
    out = tmp_path / "f.zip"
    done = package(project, "--handler", "app.handler", "--python", TARGET, "-o", str(out))
    assert "six 1." in done.stdout and "(pyproject.toml and lambdago's requirements)" in done.stdout
    task = unpack(out, tmp_path / "task")
    with emulator(task, python_for(TARGET)) as emu:
        assert emu.invoke(b"{}").json()["six"] == str(task / "six.py")


def test_handler_forms_validated_up_front(tmp_path: pathlib.Path) -> None:
    project = make_project(tmp_path / "p", {"app.py": HELLO, "src/fn.py": HELLO})
    done = run_cli(["package", str(project), "--handler", "app"])
    assert done.returncode == 1
    assert "Bad handler 'app'" in done.stderr and "module.func" in done.stderr
    assert not (project / "dist").exists()
    done = run_cli(["package", str(project)])
    assert done.returncode == 2 and "--handler is required" in done.stderr
    # The path form works end to end.
    out = tmp_path / "f.zip"
    package(project, "--handler", "src/fn.py:handler", "--python", TARGET, "-o", str(out))
    task = unpack(out, tmp_path / "task")
    with emulator(task, python_for(TARGET)) as emu:
        assert emu.invoke(b'{"name": "Path"}').json() == {"message": "Hello, Path!"}


def test_security_exclusions_end_to_end(tmp_path: pathlib.Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("do not ship")
    project = make_project(
        tmp_path / "p",
        {
            "app.py": HELLO,
            ".env": "A=1",
            ".env.production": "A=2",
            ".aws/credentials": "[default]",
            "id_rsa": "key",
            "certs/site.pem": "pem",
            ".hg/store": "x",
            ".svn/entries": "x",
            "venv/pyvenv.cfg": "home=/usr",
            "env2/pyvenv.cfg": "home=/usr",
            "dist/stale.zip": "x",
            "data/inside.txt": "shared",
        },
    )
    os.symlink(outside / "secret.txt", project / "leak.txt")
    os.symlink(outside, project / "leakdir")
    os.symlink(project / "data" / "inside.txt", project / "alias.txt")
    os.symlink(project / "data", project / "data-link")
    os.symlink(project, project / "data" / "loop")
    out = tmp_path / "f.zip"
    done = package(project, "--handler", "app.handler", "--no-bytecode", "-o", str(out))
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        alias = zf.read("alias.txt")
    for banned in (
        ".env",
        ".env.production",
        ".aws/",
        "id_rsa",
        "certs/site.pem",
        ".hg/",
        ".svn/",
        "venv/",
        "env2/",
        "dist/",
        "leak.txt",
        "leakdir/",
    ):
        assert not any(n == banned or n.startswith(banned) for n in names), banned
    assert not any("do not ship" in n for n in names)
    assert alias == b"shared"  # a link inside the project is followed
    assert "data-link/inside.txt" in names
    assert not any("/loop/loop/" in n for n in names)
    for name in names:
        assert not name.startswith("/") and ".." not in name.split("/")
    assert "leak.txt, leakdir (symlink out of the project)" in done.stdout
    assert "left out:  .aws/, .env, .env.production, certs/site.pem, id_rsa (secret)" in done.stdout
    # --include asks for a file that is left out by default.
    done = package(
        project,
        "--handler",
        "app.handler",
        "--no-bytecode",
        "-o",
        str(out),
        "--include",
        ".env",
        "--include",
        "certs/*.pem",
    )
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
    assert ".env" in names and "certs/site.pem" in names
    assert ".env.production" not in names and "leak.txt" not in names


def test_image_target(tmp_path: pathlib.Path) -> None:
    """The build context: a Dockerfile on provided:al2023 and the package in task/."""
    project = make_project(tmp_path / "p", {"app.py": HELLO})
    context = tmp_path / "image"
    done = package(
        project,
        "--handler",
        "app.handler",
        "--target",
        "image",
        "--arch",
        "arm64",
        "--python",
        TARGET,
        "-o",
        str(context),
    )
    dockerfile = (context / "Dockerfile").read_text()
    lines = [ln for ln in dockerfile.splitlines() if ln and not ln.startswith("#")]
    assert lines[0] == "FROM --platform=linux/arm64 public.ecr.aws/lambda/provided:al2023"
    assert f"RUN dnf install -y python{TARGET}" in lines[1]
    assert f"ENV LAMBDAGO_PYTHON=/usr/bin/python{TARGET}" in lines
    assert 'ENTRYPOINT ["/var/task/bootstrap"]' in lines
    copies = [ln.split()[1:] for ln in lines if ln.startswith("COPY ")]
    assert copies == [["task/", "/var/task/"]]
    for source, _ in copies:  # everything the Dockerfile copies is in the context
        assert (context / source).is_dir()
    task = context / "task"
    assert os.stat(task / "bootstrap").st_mode & 0o777 == 0o755
    assert os.stat(task / "app.py").st_mode & 0o777 == 0o644
    assert (task / "lambdago" / "__init__.py").is_file()
    assert all("aarch64" in p.name for p in task.rglob("*.so"))
    assert "docker build --platform linux/arm64" in done.stdout
    assert "--package-type Image" in done.stdout
    # The same context for x86_64 runs here, as the image's entry point would run it.
    package(
        project,
        "--handler",
        "app.handler",
        "--target",
        "image",
        "--python",
        TARGET,
        "-o",
        str(context),
    )
    assert (context / "Dockerfile").read_text().startswith("# Written by")
    with emulator(task, python_for(TARGET)) as emu:
        assert emu.invoke(b'{"name": "Image"}').json() == {"message": "Hello, Image!"}
    # A folder that is not lambdago's is never overwritten.
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep")
    done = run_cli(
        ["package", str(project), "--handler", "app.handler", "--target", "image", "-o", str(other)]
    )
    assert done.returncode == 1 and "not an image context written by lambdago" in done.stderr


def test_managed_target(tmp_path: pathlib.Path) -> None:
    """The exec wrapper: the managed runtime's command line is ignored, lambdago's
    bootstrap runs with the managed runtime's Python."""
    project = make_project(tmp_path / "p", {"app.py": HELLO})
    out = tmp_path / "f.zip"
    done = package(
        project,
        "--handler",
        "app.handler",
        "--target",
        "managed",
        "--python",
        TARGET,
        "-o",
        str(out),
    )
    assert f"--runtime python{TARGET}" in done.stdout
    assert "AWS_LAMBDA_EXEC_WRAPPER=/var/task/lambdago-wrapper" in done.stdout
    with zipfile.ZipFile(out) as zf:
        assert zf.getinfo("lambdago-wrapper").external_attr >> 16 == stat.S_IFREG | 0o755
    task = unpack(out, tmp_path / "task")
    wrapper = (task / "lambdago-wrapper").read_text()
    assert "LAMBDAGO_PYTHON=${LAMBDAGO_PYTHON:-/var/lang/bin/python3}" in wrapper
    # Lambda runs: $AWS_LAMBDA_EXEC_WRAPPER /var/lang/bin/python3.X /var/runtime/bootstrap.py
    command = [
        str(task / "lambdago-wrapper"),
        f"/var/lang/bin/python{TARGET}",
        "/var/runtime/bootstrap.py",
    ]
    with emulator(task, python_for(TARGET), command=command) as emu:
        assert emu.invoke(b'{"name": "Managed"}').json() == {"message": "Hello, Managed!"}
    # Without the managed runtime's /var/lang here, the wrapper's default fails clearly.

    env = {"PATH": "/usr/bin:/bin", "LAMBDA_TASK_ROOT": str(task)}
    done_run = subprocess.run(command, env=env, capture_output=True, text=True)
    assert done_run.returncode == 127
    assert "LAMBDAGO_PYTHON=/var/lang/bin/python3 is not an executable file" in done_run.stderr


def tiny_yaml(text: str) -> dict[str, object]:
    """Enough YAML for the template: nested mappings by indentation, ``- item`` lists,
    ``[a, b]`` flow lists, quoted and plain scalars, comments."""
    root: dict[str, object] = {}
    stack: list[tuple[int, object]] = [(-1, root)]
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]

    def scalar(value: str) -> object:
        value = value.strip()
        if value.startswith('"') and value.endswith('"'):
            return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        if value.startswith("[") and value.endswith("]"):
            return [scalar(v) for v in value[1:-1].split(",")]
        if value.isdigit():
            return int(value)
        return value

    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        content = line.strip()
        while stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        if content.startswith("- "):
            assert isinstance(parent, list), line
            item = content[2:]
            if ":" in item and not item.startswith('"'):
                key, _, value = item.partition(":")
                parent.append({key.strip(): scalar(value)})
            else:
                parent.append(scalar(item))
            continue
        key, _, value = content.partition(":")
        assert isinstance(parent, dict), line
        if value.strip():
            parent[key.strip()] = scalar(value)
            continue
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        child: object = [] if following.startswith("- ") else {}
        parent[key.strip()] = child
        stack.append((indent, child))
    return root


def test_sam_files_and_make_build(tmp_path: pathlib.Path) -> None:
    """--sam: template.yaml and a Makefile; the Makefile's target, run as `sam build`
    runs it, writes a package that works."""
    project = make_project(tmp_path / "my-fn", {"app.py": HELLO, "requirements.txt": "six\n"})
    done = package(
        project,
        "--handler",
        "app.handler",
        "--sam",
        "--arch",
        "arm64",
        "--python",
        TARGET,
        "--memory",
        "256",
        "--timeout",
        "10",
    )
    template = tiny_yaml((project / "template.yaml").read_text())
    assert template["Transform"] == "AWS::Serverless-2016-10-31"
    resources = template["Resources"]
    assert isinstance(resources, dict) and list(resources) == ["AppFunction"]
    function = resources["AppFunction"]
    assert function["Type"] == "AWS::Serverless::Function"
    assert function["Metadata"] == {"BuildMethod": "makefile"}
    props = function["Properties"]
    assert props["Runtime"] == "provided.al2023" and props["Handler"] == "bootstrap"
    assert props["Architectures"] == ["arm64"]
    assert props["MemorySize"] == 256 and props["Timeout"] == 10 and props["CodeUri"] == "."
    assert props["Layers"] == [{"Ref": "PythonLayerArn"}]
    assert "PythonLayerArn" in template["Parameters"]  # type: ignore[operator]
    makefile = (project / "Makefile").read_text()
    assert "build-AppFunction:\n\t$(LAMBDAGO) package . " in makefile
    assert '--output-dir "$(ARTIFACTS_DIR)"' in makefile
    assert "aws lambda create-function --function-name app --runtime provided.al2023" in (
        done.stdout
    )
    assert "--handler bootstrap --architectures arm64 --memory-size 256 --timeout 10" in (
        done.stdout
    )
    if shutil.which("make") is None:
        pytest.skip("make is not installed: the Makefile's build target is not run")
    # What `sam build` does: copy the code, run the target with ARTIFACTS_DIR set.

    scratch = tmp_path / "scratch"
    shutil.copytree(project, scratch)
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    makefile_x86 = (scratch / "Makefile").read_text().replace("arm64", "x86_64")
    (scratch / "Makefile").write_text(makefile_x86)
    lambdago = f"{sys.executable} -m lambdago.cli"
    built = subprocess.run(
        ["make", "build-AppFunction", f"ARTIFACTS_DIR={artifacts}", f"LAMBDAGO={lambdago}"],
        cwd=scratch,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    assert built.stdout.count("\n") <= 2  # --quiet: just make's echo of the command
    assert os.stat(artifacts / "bootstrap").st_mode & 0o777 == 0o755
    assert not (artifacts / "template.yaml").exists() and not (artifacts / "Makefile").exists()
    with emulator(artifacts, python_for(TARGET)) as emu:
        assert emu.invoke(b'{"name": "SAM"}').json() == {"message": "Hello, SAM!"}


def test_sam_never_overwrites_a_users_files(tmp_path: pathlib.Path) -> None:
    project = make_project(tmp_path / "p", {"app.py": HELLO, "Makefile": "all:\n\techo mine\n"})
    done = run_cli(["package", str(project), "--handler", "app.handler", "--sam", "--no-bytecode"])
    assert done.returncode == 1 and "was not written by lambdago" in done.stderr
    assert (project / "Makefile").read_text() == "all:\n\techo mine\n"
    package(project, "--handler", "app.handler", "--sam", "--no-bytecode", "--force")
    assert "lambdago package" in (project / "Makefile").read_text()
    # Written by lambdago: rewritten freely.
    package(project, "--handler", "app.handler", "--sam", "--no-bytecode", "--target", "managed")
    template = tiny_yaml((project / "template.yaml").read_text())
    props = template["Resources"]["AppFunction"]["Properties"]  # type: ignore[index]
    assert props["Runtime"] == f"python{TARGET}"
    assert props["Environment"] == {
        "Variables": {"AWS_LAMBDA_EXEC_WRAPPER": "/var/task/lambdago-wrapper"}
    }
    assert "Layers" not in props


def make_wheel(folder: pathlib.Path, name: str, files: dict[str, str]) -> None:
    """A pure-Python wheel, written by hand."""
    folder.mkdir(parents=True, exist_ok=True)
    info = f"{name}-1.0.dist-info"
    with zipfile.ZipFile(folder / f"{name}-1.0-py3-none-any.whl", "w") as zf:
        for path, text in files.items():
            zf.writestr(path, text)
        zf.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
        zf.writestr(
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        records = [f"{path},," for path in files] + [f"{info}/METADATA,,", f"{info}/WHEEL,,"]
        zf.writestr(f"{info}/RECORD", "\n".join([*records, f"{info}/RECORD,,"]) + "\n")


def test_local_wheels_and_sdists(tmp_path: pathlib.Path) -> None:
    """A --find-links folder named relative to requirements.txt; a .pth file is reported
    (python -S does not process it); a package found only as an sdist is refused."""
    wheels = tmp_path / "p" / "vendor"
    make_wheel(
        wheels,
        "lambdago_test_pth",
        {"lambdago_test_pth/__init__.py": "VALUE = 42\n", "lambdago_test_pth.pth": "import os\n"},
    )
    (wheels / "lambdago_test_sdist-1.0.tar.gz").write_bytes(b"not really a tarball")
    project = make_project(
        tmp_path / "p",
        {
            "app.py": "import lambdago_test_pth\n\ndef handler(ctx, event):\n"
            "    return {'value': lambdago_test_pth.VALUE}\n",
            "requirements.txt": "--find-links vendor\nlambdago-test-pth\nlambdago\n",
        },
    )
    out = tmp_path / "f.zip"
    done = run_cli(["package", str(project), "--handler", "app.handler", "-o", str(out)])
    assert done.returncode == 0, done.stderr
    assert "lambdago_test_pth.pth: .pth files are not processed" in done.stderr
    task = unpack(out, tmp_path / "task")
    with emulator(task, python_for(TARGET)) as emu:
        assert emu.invoke(b"{}").json() == {"value": 42}
    (project / "requirements.txt").write_text("--find-links vendor\nlambdago-test-sdist\n")
    done = run_cli(["package", str(project), "--handler", "app.handler", "-o", str(out)])
    assert done.returncode == 1
    assert "no wheel of lambdago-test-sdist for CPython" in done.stderr
    assert "it needs a wheel for this target" in done.stderr


def test_sam_templates_of_each_target(tmp_path: pathlib.Path) -> None:
    from lambdago.package import PackageOptions, Platform
    from lambdago.package.outputs import sam_makefile, sam_template

    project = make_project(tmp_path / "p", {"app.py": HELLO})
    image = PackageOptions(
        "app.handler", project=project, target="image", platform=Platform("arm64", "3.13")
    )
    template = tiny_yaml(sam_template(image, "0").decode())
    function = template["Resources"]["AppFunction"]  # type: ignore[index]
    assert function["Metadata"] == {
        "Dockerfile": "Dockerfile",
        "DockerContext": "./dist/image",
        "DockerTag": "latest",
    }
    assert function["Properties"] == {
        "PackageType": "Image",
        "Architectures": ["arm64"],
        "MemorySize": 128,
        "Timeout": 3,
    }
    assert "Parameters" not in template
    # Code only: the dependencies layer is a parameter, after the Python layer.
    code_only = PackageOptions(
        "app.handler", project=project, dependencies=False, function_name="my fn"
    )
    template = tiny_yaml(sam_template(code_only, "0").decode())
    props = template["Resources"]["MyFnFunction"]["Properties"]  # type: ignore[index]
    assert props["FunctionName"] == "my fn"
    assert props["Layers"] == [{"Ref": "PythonLayerArn"}, {"Ref": "DependenciesLayerArn"}]
    assert "--no-dependencies" in sam_makefile(code_only, "0").decode()
    managed = PackageOptions("app.handler", project=project, dependencies=False, target="managed")
    props = tiny_yaml(sam_template(managed, "0").decode())["Resources"]["AppFunction"][  # type: ignore[index]
        "Properties"
    ]
    assert props["Layers"] == [{"Ref": "DependenciesLayerArn"}]
