"""The operating-system wall, tested as an attacker would: the static check is off, plain Python escapes.

One project holds a harmless box and one design per escape; it is built once,
with the static check bypassed, so the wall (Landlock, seccomp, the zygote's
limits) is all that stands between each script and the machine. Each test
checks one escape: it was stopped, it is reported by design name on one line,
and it changed nothing outside its staging folder.
"""
from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest

import pipeline.source.validate
from pipeline.catalogue import BuildConfig, build_catalogue
from pipeline.config import Limits

from .conftest import FIXTURES, REPO, make_project
from .written_designs import box_script, write_design

LIMITS = Limits(job_seconds=20.0, memory_bytes=1536 * 2**20)
MARK = uuid.uuid4().hex[:12]  # in every file an escape would leave, so that a leftover is found for sure
TOKEN = f"ghp_wall_test_token_{MARK}"
# What the build process itself writes (never the children, whose only writable folder is their staging folder).
GENERATED = ("catalogue/en/", "catalogue/fr/", "catalogue/downloads/", "catalogue/index.html", "catalogue/catalogue.json",
             "catalogue/production.json", ".cache/cad/", ".cache/thumbnails/", ".cache/bundles/",
             ".cache/templates/", ".cache/glb/", ".cache/slices/")


def escapes(root: Path, home: Path, port: int) -> dict[str, str]:
    """Design slug -> the lines an attacker puts before show_object()."""
    tmp_target = f"/tmp/wall-{MARK}"
    return {
        "writes-tmp": f"open({tmp_target + '-writes-tmp'!r}, 'w').write('owned')\n",
        "writes-designs": f"open({str(root / 'designs/box/box.py')!r}, 'a').write('# owned')\n",
        "writes-cache": f"open({str(root / '.cache/cad/owned')!r}, 'w').write('owned')\n",
        "writes-beside-staging": "open('../owned', 'w').write('owned')\n",
        "writes-site": f"open({str(root / 'site/index.html')!r}, 'w').write('owned')\n",
        "writes-home": f"open({str(home / 'planted')!r}, 'w').write('owned')\n",
        "reads-home-token": f"raise RuntimeError(open({str(home / 'token')!r}).read())\n",
        "exfiltrates-token": f"open('model.stl.txt', 'w').write(open({str(home / 'token')!r}).read())\n",
        "reads-git-config": f"raise RuntimeError(open({str(root / '.git/config')!r}).read())\n",
        "reads-other-design": f"raise RuntimeError(open({str(root / 'designs/box/box.py')!r}).read())\n",
        "reads-proc-1-environ": "raise RuntimeError(open('/proc/1/environ', 'rb').read())\n",
        "connects-tcp": f"import socket\nsocket.create_connection(('127.0.0.1', {port})).sendall(b'{MARK}')\n",
        "runs-os-system": f"import os\nos.system('touch {tmp_target}-os-system')\n",
        "runs-subprocess": f"import subprocess\nsubprocess.run(['touch', '{tmp_target}-subprocess'])\n",
        "forks-and-execs": ("import os\nif os.fork() == 0:\n"
                            f"    os.execv('/usr/bin/touch', ['touch', '{tmp_target}-fork-exec'])\n"),
        "leaves-a-process": ("import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
                             f"        time.sleep(600)  # {MARK}\n    os._exit(0)\n"),
        "signals-the-parent": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n",
        "signals-the-group": "import os, signal\nos.killpg(0, signal.SIGKILL)\n",
        "links-a-secret": f"import os\nos.symlink({str(home / 'token')!r}, 'model.glb')\n",
        "forges-a-reply": ("import os\nos.write(3, b'{\"ok\": true, \"facts\": {\"solids\": 1}}\\n')\nos._exit(0)\n"),
        "prints-100-mb": "import sys\nfor _ in range(100):\n    sys.stdout.write('x' * 1_000_000)\n",
        "truncates-a-design": f"import os\nos.truncate({str(root / 'designs/box/box.py')!r}, 0)\n",
        "hard-links-a-secret": f"import os\nos.link({str(home / 'token')!r}, 'model.step')\n",
        "limits-the-parent": "import os, resource\nresource.prlimit(os.getppid(), resource.RLIMIT_NOFILE, (3, 3))\n",
        "ptraces-the-parent": "import ctypes, os\nctypes.CDLL(None).ptrace(16, os.getppid(), 0, 0)\n",
        "forks-by-raw-syscall": "import ctypes\nctypes.CDLL(None).syscall(56, 17, 0, 0, 0, 0)\n",
        "forks-by-x32-syscall": "import ctypes\nctypes.CDLL(None).syscall(0x40000000 | 57)\n",
        "forks-by-int-0x80": ("import ctypes, mmap\nbuf = mmap.mmap(-1, 4096, prot=7)\n"
                              "buf.write(bytes.fromhex('b802000000cd80c3'))  # i386 fork\n"
                              "ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(buf)))()\n"),
    }


EXPECTED = {  # what each escape's one line says, after "designs/<slug>/<slug>.py[:line] [default]: "
    "writes-tmp": "PermissionError: [Errno 13] Permission denied: '/tmp/wall-",
    "writes-designs": "PermissionError: [Errno 13] Permission denied:",
    "writes-cache": "PermissionError: [Errno 13] Permission denied:",
    "writes-beside-staging": "PermissionError: [Errno 13] Permission denied: '../owned'",
    "writes-site": "PermissionError: [Errno 13] Permission denied:",
    "writes-home": "PermissionError: [Errno 13] Permission denied:",
    "reads-home-token": "PermissionError: [Errno 13] Permission denied:",
    "exfiltrates-token": "PermissionError: [Errno 13] Permission denied:",
    "reads-git-config": "PermissionError: [Errno 13] Permission denied:",
    "reads-other-design": "PermissionError: [Errno 13] Permission denied:",
    "reads-proc-1-environ": "PermissionError: [Errno 13] Permission denied: '/proc/1/environ'",
    "connects-tcp": "PermissionError: [Errno 1] Operation not permitted",
    "runs-os-system": "stopped by the build's wall: the script tried to start a program or a process",
    "runs-subprocess": "stopped by the build's wall: the script tried to start a program or a process",
    "forks-and-execs": "stopped by the build's wall: the script tried to start a program or a process",
    "leaves-a-process": "stopped by the build's wall: the script tried to start a program or a process",
    "signals-the-parent": "stopped by the build's wall: the script tried to start a program or a process, or to reach another process",
    "signals-the-group": "stopped by the build's wall: the script tried to start a program or a process, or to reach another process",
    "links-a-secret": "PermissionError: [Errno 13] Permission denied:",
    "forges-a-reply": "left no model.stl, no model.step, no model.glb, no model.3mf, no facts.json in its staging folder",
    "prints-100-mb": "printed more than 1 MiB and was stopped",
    "truncates-a-design": "PermissionError: [Errno 13] Permission denied:",
    "hard-links-a-secret": "OSError: [Errno 18] Invalid cross-device link",
    "limits-the-parent": "PermissionError: [Errno 1] Operation not permitted",
    "ptraces-the-parent": "stopped by the build's wall",
    "forks-by-raw-syscall": "stopped by the build's wall",
    "forks-by-x32-syscall": "stopped by the build's wall",
    "forks-by-int-0x80": "stopped by the build's wall",
}


class TcpListener:
    """A server on 127.0.0.1 that records every byte it receives."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received = bytearray()
        self.connections = 0
        self.server.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            with conn:
                conn.settimeout(1)
                try:
                    self.received += conn.recv(1 << 16)
                except OSError:
                    pass

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.server.close()


def snapshot(*folders: Path) -> dict[str, str]:
    """Every file (and symlink) under `folders`, with its SHA-256."""
    found = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_symlink():
                found[str(path)] = "link:" + os.readlink(path)
            elif path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def zygote_leftovers(root: Path) -> list[str]:
    """Processes still running with this project's zygote command line (a fork copies it)."""
    marker = str(root / ".cache" / "cad" / "tmp").encode()
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker in (entry / "cmdline").read_bytes():
                found.append(entry.name)
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def walled(tmp_path_factory):
    """The project built once with every escape in it and the static check off."""
    root = make_project(tmp_path_factory.mktemp("walled") / "project", [FIXTURES / "designs" / "box"],
                        private_cache=True)  # hostile scripts write only into a cache no other test reads
    home = Path.home() / f".catalogue-wall-test-{MARK}"
    home.mkdir()
    (home / "token").write_text(TOKEN + "\n")
    (root / ".git").mkdir()
    (root / ".git/config").write_text(f'[remote "origin"]\n\turl = https://x-access-token:{TOKEN}@example.invalid/r\n')
    (root / "site").mkdir()
    (root / "site/index.html").write_text("<p>the published site</p>\n")
    listener = TcpListener()
    for slug, body in escapes(root, home, listener.port).items():
        write_design(root, slug, box_script(body))
    before = snapshot(root, home)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pipeline.source.validate, "check_script", lambda tree: [])
            report = build_catalogue(BuildConfig(root=root, workers=2, limits=LIMITS, site=False))
        after = snapshot(root, home)
        leftovers = zygote_leftovers(root)
    finally:
        listener.close()
        for path in sorted(home.rglob("*"), reverse=True):
            path.unlink()
        home.rmdir()
    return root, report, before, after, listener, leftovers


def problems_by_slug(report) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in map(str, report.problems):
        found.setdefault(problem.split("/")[1], []).append(problem)
    return found


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_each_escape_is_stopped_and_named_on_one_line(walled, slug):
    _, report, *_ = walled
    [line] = problems_by_slug(report)[slug]
    assert line.startswith(f"designs/{slug}/{slug}.py"), line
    assert EXPECTED[slug] in line and "\n" not in line, line


def test_the_harmless_design_still_builds_and_nothing_else_does(walled):
    _, report, *_ = walled
    assert sorted(a.job.label for a in report.artifacts) == ["box/small", "box/wide"]
    assert set(problems_by_slug(report)) == set(EXPECTED)


def test_nothing_outside_the_staging_folders_changed(walled):
    root, _, before, after, *_ = walled
    changed = sorted(p for p in before if after.get(p) != before[p])
    added = sorted(p for p in after if p not in before
                   and not Path(p).relative_to(root).as_posix().startswith(GENERATED))
    assert changed == [] and added == []
    assert not (root / ".cache/cad/owned").exists() and list((root / ".cache/cad/tmp").iterdir()) == []


def test_nothing_was_written_in_tmp(walled):
    """After the escapes ran (the fixture): without it, run alone, this found nothing because nothing had run."""
    _, report, *_ = walled
    assert {"writes-tmp", "runs-os-system", "runs-subprocess", "forks-and-execs"} <= problems_by_slug(report).keys()
    assert not [p for p in Path("/tmp").iterdir() if p.name.startswith(f"wall-{MARK}")]


def test_the_token_appears_in_no_output(walled):
    root, report, *_ = walled
    assert TOKEN not in "\n".join(map(str, report.problems))
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink() and ".git" not in path.parts:
            assert TOKEN.encode() not in path.read_bytes(), path


def test_the_tcp_server_received_nothing(walled):
    *_, listener, _ = walled
    assert listener.connections == 0 and bytes(listener.received) == b""


def test_no_process_is_left_behind(walled):
    *_, leftovers = walled
    assert leftovers == []


def test_printing_is_cut_and_its_first_line_shown(walled):
    _, report, *_ = walled
    [line] = problems_by_slug(report)["prints-100-mb"]
    assert "it printed: xxxx" in line and len(line) < 1000


# The command a contributor or a maintainer types ------------------------------------------

def run_check(root: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "--workers", "1", "check",
                           *options], capture_output=True, text=True, timeout=300)


def test_check_with_skip_static_check_runs_a_script_behind_the_wall_alone(tmp_path):
    root = make_project(tmp_path, [])
    target = tmp_path / "outside" / "owned"
    target.parent.mkdir()
    write_design(root, "escapes", box_script(f"import os\nos.system('touch {target}')\n"))
    done = run_check(root, "--skip-static-check", "designs/escapes")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "designs/escapes/escapes.py [default]: stopped by the build's wall" in done.stdout
    assert not target.exists()


def test_skip_static_check_is_refused_with_trust_scripts(tmp_path):
    root = make_project(tmp_path, [FIXTURES / "designs" / "box"])
    done = run_check(root, "--skip-static-check", "--trust-scripts", "designs/box")
    assert done.returncode == 2
    assert done.stderr.strip() == ("build.py: --skip-static-check and --trust-scripts together would run a script "
                                   "with no wall at all; drop one")


def test_the_issue_route_through_fractions_is_refused_before_any_worker(tmp_path):
    root = make_project(tmp_path, [], private_cache=True)
    body = "import fractions\nfractions.re.enum.bltns.exec(\"import subprocess; subprocess.run(['touch', '/tmp/owned'])\")\n"
    write_design(root, "fractional", box_script(body))
    done = run_check(root, "designs/fractional")
    assert done.returncode == 1
    assert "designs/fractional/fractional.py:8: the attribute .re " in done.stdout, done.stdout
    assert "not built: fix design.yaml and the script first" in done.stdout and not (root / ".cache").exists()


def test_the_refused_module_names_are_those_the_installed_modules_give():
    """module_names.txt is computed from the modules (importing CadQuery, so in a subprocess); regenerate on upgrades."""
    done = subprocess.run([sys.executable, "-m", "pipeline.cad.worker.module_names"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    committed = (REPO / "pipeline/source/module_names.txt").read_text()
    assert done.stdout == committed, "run: python -m pipeline.cad.worker.module_names > pipeline/source/module_names.txt"
    assert {"re", "sys", "operator", "exporters", "importers"} <= set(committed.split())


# Fail closed --------------------------------------------------------------------------------

# Runs build.py in a process whose kernel "has no Landlock": a seccomp filter answers ENOSYS to its system calls.
WITHOUT_LANDLOCK = ("import pyseccomp as s, runpy, sys\nf = s.SyscallFilter(s.ALLOW)\n"
                    "for number in (444, 445, 446):\n    f.add_rule(s.ERRNO(38), number)\nf.load()\n"
                    "sys.argv = sys.argv[1:]\nrunpy.run_path(sys.argv[0], run_name='__main__')\n")


def build_without_landlock(root: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WITHOUT_LANDLOCK, str(REPO / "build.py"), "--root", str(root),
                           "--no-site", "--workers", "1", *options], capture_output=True, text=True, timeout=300)


def test_without_landlock_the_build_refuses_every_script_in_one_line(tmp_path):
    root = make_project(tmp_path, [FIXTURES / "designs" / "box"], private_cache=True)
    done = build_without_landlock(root)
    assert done.returncode == 1
    assert "0 variants published (0 built, 0 from cache, 0 CAD workers started)" in done.stdout
    [problem] = [line.strip() for line in done.stdout.splitlines() if line.startswith("  ")]
    assert problem == ("CAD stage: refused to run 2 design script(s) without the operating-system wall: the kernel "
                       "offers no Landlock (Function not implemented); build on Linux 6.7 or newer with Landlock "
                       "enabled (it is in the kernel's lsm= list) and libseccomp installed, or pass --trust-scripts "
                       "only for scripts you wrote yourself")


@pytest.mark.cold
def test_trust_scripts_builds_without_the_wall(tmp_path):
    root = make_project(tmp_path, [FIXTURES / "designs" / "box"], private_cache=True)
    done = build_without_landlock(root, "--trust-scripts")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 variants published (2 built" in done.stdout
