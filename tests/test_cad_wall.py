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
from pipeline.cad import pool
from pipeline.catalogue import BuildConfig, build_catalogue
from pipeline.config import Limits
from pipeline.wall import read_only_paths

from .conftest import FIXTURES, REPO, make_project
from .written_designs import box_script, write_design

LIMITS = Limits(job_seconds=20.0, memory_bytes=1536 * 2**20)
MARK = uuid.uuid4().hex[:12]  # in every file an escape would leave, so that a leftover is found for sure
TOKEN = f"ghp_wall_test_token_{MARK}"
# What the build process itself writes (never the children, whose only writable folder is their staging folder).
# Second round (issue 20): metadata, System V IPC, POSIX queues, inotify and memfd, outside any folder's rights.
TMP_TARGET = Path(f"/tmp/wall-target-{MARK}")  # a file of the build's user in /tmp that a script tries to make setuid
SHM_TOKEN_KEY, SHM_LEFT_KEY, MSG_LEFT_KEY = (int(MARK[i:i + 7], 16) for i in (0, 3, 5))
MQ_NAME = f"/wall-{MARK}"
IPC_CREAT, IPC_RMID = 0o1000, 0
LIBC = ("import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nlibc.shmat.restype = ctypes.c_void_p\n"
        "def errno():\n    return ctypes.get_errno()\n")
GENERATED = ("catalogue/en/", "catalogue/fr/", "catalogue/downloads/", "catalogue/index.html", "catalogue/404.html",
             "catalogue/catalogue.json",
             "catalogue/production.json", "catalogue/cutting.json", "catalogue/sewing.json", ".cache/sewing/", ".cache/cad/", ".cache/thumbnails/", ".cache/bundles/",
             ".cache/templates/", ".cache/glb/", ".cache/slices/", ".cache/cutting/", ".cache/sheet-templates/")


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
        "chmods-home": f"import os\nos.chmod({str(home / 'token')!r}, 0o4777)\n",
        "touches-git-config": f"import os\nos.utime({str(root / '.git/config')!r}, (0, 0))\n",
        "sets-an-xattr": f"import os\nos.setxattr({str(home / 'token')!r}, 'user.owned', b'{MARK}')\n",
        "removes-an-xattr": f"import os\nos.removexattr({str(home / 'token')!r}, 'user.kept')\n",
        "sets-setuid-in-tmp": f"import os\nos.chmod({str(TMP_TARGET)!r}, 0o4755)\n",
        "chowns-tmp": f"import os\nos.chown({str(TMP_TARGET)!r}, 0, 0)\n",
        "reads-shared-memory": (LIBC + f"shm = libc.shmget({SHM_TOKEN_KEY}, 0, 0)\n"
                                "if shm < 0:\n    raise RuntimeError(f'shmget errno={errno()}')\n"
                                "raise RuntimeError(ctypes.string_at(libc.shmat(shm, None, 0), 64))\n"),
        "leaves-ipc-behind": (LIBC + f"shm = libc.shmget({SHM_LEFT_KEY}, 16 << 20, {IPC_CREAT | 0o666})\n"
                              f"msg = libc.msgget({MSG_LEFT_KEY}, {IPC_CREAT | 0o666})\n"
                              f"mq = libc.mq_open(b'{MQ_NAME}', {os.O_CREAT | os.O_RDWR}, 0o600, None)\n"
                              "raise RuntimeError(f'left shm={shm} msg={msg} mq={mq} errno={errno()}')\n"),
        "watches-the-repository": (LIBC + "fd = libc.inotify_init1(0)\n"
                                   f"watch = libc.inotify_add_watch(fd, b'{root / 'designs'}', 0xfff) if fd >= 0 else -1\n"
                                   "raise RuntimeError(f'inotify fd={fd} watch={watch} errno={errno()}')\n"),
        "holds-memory-in-a-memfd": ("import os\nfd = os.memfd_create('hoard')\nchunk = b'x' * (64 << 20)\n"
                                    "for _ in range(26):\n    os.write(fd, chunk)\n"
                                    "raise RuntimeError(f'held {os.fstat(fd).st_size >> 20} MiB')\n"),
        # Third round (issue 29): what the wall did not count. Each finished unhindered on main.
        "starts-2000-threads": (LIBC + "attr = ctypes.create_string_buffer(64)\nlibc.pthread_attr_init(attr)\n"
                                "libc.pthread_attr_setstacksize(attr, 16384)  # no Python: no arena, 16 KiB each\n"
                                "tid = ctypes.c_ulong()\nstarted = []\npause = ctypes.cast(libc.pause, ctypes.c_void_p)\n"
                                "for _ in range(2000):\n"
                                "    code = libc.pthread_create(ctypes.byref(tid), attr, pause, None)\n"
                                "    if code:\n"
                                "        raise RuntimeError(f'pthread_create failed with {code} after {len(started)}')\n"
                                "    started.append(tid.value)\nraise RuntimeError(f'started {len(started)} threads')\n"),
        "holds-unlinked-disk": ("import os, time\nfor n in range(3):\n"
                                "    fd = os.open(f'hoard-{n}', os.O_CREAT | os.O_RDWR)\n"
                                "    os.posix_fallocate(fd, 0, (1 << 30) - (1 << 20))\n    os.unlink(f'hoard-{n}')\n"
                                "time.sleep(5)\nraise RuntimeError('held 3 GiB unlinked')\n"),
        "grows-a-pipe": "import fcntl, os\nr, w = os.pipe()\nfcntl.fcntl(w, 1031, 1 << 20)\n",
        "opens-9000-pipes": ("import os, resource\nhard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]\n"
                              "resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))\n"
                              "pipes = [os.pipe() for _ in range(9_000)]\n"
                              "raise RuntimeError(f'{len(pipes)} pipes open')\n"),
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
    "forges-a-reply": "the script's shape was not handed over",
    "prints-100-mb": "printed more than 1 MiB and was stopped",
    "truncates-a-design": "PermissionError: [Errno 13] Permission denied:",
    "hard-links-a-secret": "OSError: [Errno 18] Invalid cross-device link",
    "limits-the-parent": "PermissionError: [Errno 1] Operation not permitted",
    "ptraces-the-parent": "stopped by the build's wall",
    "forks-by-raw-syscall": "stopped by the build's wall",
    "forks-by-x32-syscall": "stopped by the build's wall",
    "forks-by-int-0x80": "stopped by the build's wall",
    "chmods-home": "PermissionError: [Errno 1] Operation not permitted",
    "touches-git-config": "PermissionError: [Errno 1] Operation not permitted",
    "sets-an-xattr": "PermissionError: [Errno 1] Operation not permitted",
    "removes-an-xattr": "PermissionError: [Errno 1] Operation not permitted",
    "sets-setuid-in-tmp": "PermissionError: [Errno 1] Operation not permitted",
    "chowns-tmp": "PermissionError: [Errno 1] Operation not permitted",
    "reads-shared-memory": "RuntimeError: shmget errno=1",
    "leaves-ipc-behind": "RuntimeError: left shm=-1 msg=-1 mq=-1 errno=1",
    "watches-the-repository": "RuntimeError: inotify fd=-1 watch=-1 errno=1",
    "holds-memory-in-a-memfd": "PermissionError: [Errno 1] Operation not permitted",
    "starts-2000-threads": "RuntimeError: pthread_create failed with 11 after",
    "holds-unlinked-disk": "held more than 2048 MiB in files it had deleted but kept open and was stopped",
    "grows-a-pipe": "PermissionError: [Errno 1] Operation not permitted",
    "opens-9000-pipes": "OSError: [Errno 24] Too many open files",
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


OUTSIDE: dict[str, object] = {}  # what the walled build left outside every folder, filled by `walled`


def metadata(*paths: Path) -> dict[str, tuple]:
    """Mode, owner, times and extended attributes: what Landlock's file rights do not cover."""
    return {str(p): (os.stat(p).st_mode, os.stat(p).st_uid, os.stat(p).st_gid, os.stat(p).st_mtime_ns,
                     os.stat(p).st_ctime_ns, sorted((n, os.getxattr(p, n)) for n in os.listxattr(p)))
            for p in paths}


def libc():
    import ctypes

    lib = ctypes.CDLL(None, use_errno=True)
    lib.shmat.restype = ctypes.c_void_p
    return lib


def plant_shared_memory_token() -> int:
    """A System V segment holding the token, as another program of the same user would leave it."""
    import ctypes

    lib = libc()
    shm = lib.shmget(SHM_TOKEN_KEY, 4096, IPC_CREAT | 0o600)
    assert shm >= 0, ctypes.get_errno()
    address = lib.shmat(shm, None, 0)
    ctypes.memmove(address, TOKEN.encode(), len(TOKEN))
    lib.shmdt(ctypes.c_void_p(address))
    return shm


def ipc_left_behind() -> list[str]:
    """The escapes' System V objects and POSIX queue, if any outlived the build (removed here, once seen)."""
    lib, found = libc(), []
    for kind, key in (("shm", SHM_LEFT_KEY), ("msg", MSG_LEFT_KEY)):
        for line in Path(f"/proc/sysvipc/{kind}").read_text().splitlines()[1:]:
            if int(line.split()[0]) == key:
                found.append(f"{kind} {key}")
                ident = int(line.split()[1])
                (lib.shmctl if kind == "shm" else lib.msgctl)(ident, IPC_RMID, None)
    queue = lib.mq_open(MQ_NAME.encode(), os.O_RDONLY)
    if queue >= 0:
        found.append(f"mq {MQ_NAME}")
        lib.mq_close(queue)
        lib.mq_unlink(MQ_NAME.encode())
    return found


@pytest.fixture(scope="module")
def walled(tmp_path_factory):
    """The project built once with every escape in it and the static check off."""
    root = make_project(tmp_path_factory.mktemp("walled") / "project", [FIXTURES / "designs" / "box"],
                        private_cache=True)  # hostile scripts write only into a cache no other test reads
    home = Path.home() / f".catalogue-wall-test-{MARK}"
    home.mkdir()
    (home / "token").write_text(TOKEN + "\n")
    os.setxattr(home / "token", "user.kept", b"kept")
    (root / ".git").mkdir()
    (root / ".git/config").write_text(f'[remote "origin"]\n\turl = https://x-access-token:{TOKEN}@example.invalid/r\n')
    (root / "site").mkdir()
    (root / "site/index.html").write_text("<p>the published site</p>\n")
    TMP_TARGET.write_text("a file of the build's user\n")
    TMP_TARGET.chmod(0o644)
    shm = plant_shared_memory_token()
    listener = TcpListener()
    for slug, body in escapes(root, home, listener.port).items():
        write_design(root, slug, box_script(body))
    before = snapshot(root, home)
    watched = (home / "token", root / ".git/config", TMP_TARGET)
    OUTSIDE["metadata before"] = metadata(*watched)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pipeline.source.validate, "check_script", lambda tree: [])
            patch.setattr(pool, "_TEMPLATE", {})  # a zygote started anew, as `build.py` starts it
            report = build_catalogue(BuildConfig(root=root, workers=2, limits=LIMITS, site=False, production=False))
        after = snapshot(root, home)
        leftovers = zygote_leftovers(root)
        OUTSIDE["metadata after"] = metadata(*watched)
    finally:
        listener.close()
        OUTSIDE["ipc left behind"] = ipc_left_behind()
        libc().shmctl(shm, IPC_RMID, None)
        TMP_TARGET.unlink()
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


def test_no_mode_owner_time_or_xattr_outside_the_staging_folder_changed(walled):
    assert OUTSIDE["metadata after"] == OUTSIDE["metadata before"]


def test_no_system_v_object_or_posix_queue_is_left_behind(walled):
    assert OUTSIDE["ipc left behind"] == []


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


def test_what_a_script_prints_or_raises_is_shown_escaped_and_starts_no_workflow_command(tmp_path):
    """The static check is on: printing and raising are what any script may do."""
    root = make_project(tmp_path, [], private_cache=True)
    body = ("print('::error file=README.md,line=1::forged annotation')\nprint('\\x1b]0;owned title\\x07')\n"
            "raise ValueError('\\n::stop-commands::token\\n\\x1b[1A\\x1b[2KOK: designs/box is valid and builds\\u202e')\n")
    write_design(root, "shouts", box_script(body))
    done = run_check(root, "designs/shouts")
    assert done.returncode == 1, done.stdout + done.stderr
    [line] = [line for line in done.stdout.splitlines() if "ValueError" in line]
    assert line.startswith("  designs/shouts/shouts.py:9 [default]: ValueError: ") and "\\x1b[2KOK" in line, line
    assert "\\u202e" in line and "::forged" not in line.split("it printed: ")[0]
    for text in (done.stdout, done.stderr):
        assert not any(ch in text for ch in "\x1b\x07\u202e\r")
        assert not [row for row in text.splitlines() if row.lstrip().startswith(("::", "##["))], text


def test_a_whole_build_with_skip_static_check_runs_scripts_behind_the_wall_alone(tmp_path):
    root = make_project(tmp_path, [FIXTURES / "designs" / "box"])
    target = tmp_path / "outside" / "owned"
    target.parent.mkdir()
    write_design(root, "escapes", box_script(f"import os\nos.system('touch {target}')\n"))
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "--workers", "1", "--no-site",
                           "--skip-static-check"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "  designs/escapes/escapes.py [default]: stopped by the build's wall" in done.stdout, done.stdout
    assert "2 designs, 2 variants published" in done.stdout and not target.exists()


def test_a_whole_build_refuses_skip_static_check_with_trust_scripts(tmp_path):
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(tmp_path), "--skip-static-check",
                           "--trust-scripts"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--skip-static-check and --trust-scripts together" in done.stderr


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
    # CadQuery's exporters and importers are allowed now (behind the wall, files of the script's own folders only)
    assert {"re", "sys", "operator", "os", "ctypes"} <= set(committed.split())


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


def test_a_script_reads_pythons_own_library_and_nothing_of_the_checkout():
    """The wall's readable list: the standard library a script may import (a module the zygote never loaded, such as
    mmap or encodings.idna, is read after the wall is up), never the checkout that holds designs, .git and caches."""
    readable = read_only_paths()
    stdlib = Path(sys.base_prefix).resolve() / "lib"
    assert any(stdlib == path or path in stdlib.parents for path in readable), readable
    checkout = REPO.resolve()
    assert not any(path == checkout or path in checkout.parents or
                   (checkout in path.parents and ".venv" not in path.parts) for path in readable), readable
