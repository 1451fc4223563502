"""The operating-system wall a child puts around itself before it runs a contributor's script.

Kernel mechanisms that need neither root nor a daemon, applied by the process to
itself (and so to every thread it starts afterwards):

- Landlock, files: read only what Python, its packages and the system libraries
  need; write only the job's staging folder; nothing of the home folder, the
  repository, the cache or the site. (Binding: PyPI `landlock`.)
- Landlock, network and scopes (ABI >= 4 and >= 6): no TCP bind or connect, no
  signal to a process outside the child, no abstract unix socket. The binding
  only knows file rights, so this second layer is created here with ctypes.
- seccomp (binding: PyPI `pyseccomp`, over the system's libseccomp): no new
  socket, no new process or program (execve, fork, vfork, clone without
  CLONE_THREAD), no ptrace or reaching another process's memory, no signal to
  another process, no namespaces, io_uring, bpf or keyrings, no TIOCSTI; no
  change of a file's mode, owner, times, flags or extended attributes (Landlock
  has no right for them); no System V IPC, POSIX message queue, inotify or
  fanotify (shared with every process of the user, outside any folder); no
  memfd (its pages escape RLIMIT_AS, the child's memory limit); with
  no_new_privs (set by both libraries). What a build never does kills the child (the
  build reports SIGSYS by design name); what a library may probe for fails with EPERM.

This module is imported by the build process too (for `wall_unavailable`), so it
must not import CadQuery.
"""
from __future__ import annotations

import ctypes
import errno
import os
import sys
from pathlib import Path

MINIMUM_LANDLOCK_ABI = 4  # TCP rules; ABI 3 already controls truncate(), which a write-only wall needs
WHAT_TO_DO = ("build on Linux 6.7 or newer with Landlock enabled (it is in the kernel's lsm= list) and "
              "libseccomp installed, or pass --trust-scripts only for scripts you wrote yourself")

# Landlock network rights and scopes, from <linux/landlock.h>.
ACCESS_NET_BIND_TCP = 1 << 0
ACCESS_NET_CONNECT_TCP = 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0
SCOPE_SIGNAL = 1 << 1
SYS_LANDLOCK_CREATE_RULESET = 444  # the same number on every architecture
SYS_LANDLOCK_RESTRICT_SELF = 446

# clone() flags: a thread shares the process; anything else is a new process or namespace.
CLONE_THREAD = 0x00010000
TIOCSTI, TIOCLINUX = 0x5412, 0x541C  # push characters into a terminal's input; console tricks

# Never made by a build: the child is killed on the spot (SIGSYS), and the build names the design.
STOPPED_SYSCALLS = (
    "execve", "execveat", "fork", "vfork", "ptrace", "process_vm_readv", "process_vm_writev", "process_madvise",
    "process_mrelease", "pidfd_open", "pidfd_getfd", "pidfd_send_signal", "kcmp", "tkill",
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen",
    "fsmount", "fspick", "mount_setattr", "io_uring_setup", "io_uring_enter", "io_uring_register", "bpf",
    "perf_event_open", "userfaultfd", "init_module", "finit_module", "delete_module", "kexec_load",
    "kexec_file_load", "reboot", "swapon", "swapoff", "iopl", "ioperm",
)
# Refused with EPERM, as a library probing for them expects: a script sees an OSError on its line.
REFUSED_SYSCALLS = (
    "socket", "socketpair", "connect", "bind", "listen", "accept", "accept4",
    "keyctl", "add_key", "request_key", "open_by_handle_at", "name_to_handle_at", "syslog", "acct", "quotactl",
    "setsid", "setpgid", "personality", "fanotify_init", "mknod", "mknodat", "sethostname", "setdomainname",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "vhangup", "migrate_pages", "move_pages",
    "setpriority", "ioprio_set", "sched_setscheduler", "sched_setparam", "sched_setattr", "capset",
    # Metadata: Landlock has no right for it, and the child runs as the build's user, who owns the home folder,
    # the repository and (in CI, as root) /tmp's files. The export writes plain new files and changes no mode.
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat", "utime", "utimes",
    "utimensat", "futimesat", "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr",
    # Shared with other processes of the same user, outside any folder: System V IPC, POSIX message queues,
    # watches on other folders' names.
    "shmget", "shmat", "shmctl", "shmdt", "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop",
    "semctl", "ipc", "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr",
    "inotify_init", "inotify_init1", "inotify_add_watch",
    # Memory the address-space limit does not count (RLIMIT_AS counts mappings, not a memfd's pages).
    "memfd_create", "memfd_secret",
)
# Newer than the libseccomp that names them: by number (the same on every architecture since Linux 5.1).
REFUSED_SYSCALL_NUMBERS = {"setxattrat": 463, "removexattrat": 466, "file_setattr": 469, "open_tree_attr": 467}
# ioctl requests that change a file's flags (chattr: nodump, noatime...) or its project id: metadata again.
FS_IOC_SETFLAGS, FS_IOC32_SETFLAGS, FS_IOC_FSSETXATTR = 0x40086602, 0x40046602, 0x401C5820
# Pipes are kernel memory outside RLIMIT_AS: 64 KiB each, as many as RLIMIT_NOFILE allows; never 1 MiB each.
F_SETPIPE_SZ = 1031
# Allowed only when they name this process itself: a script may not signal, re-limit or re-schedule the
# build, the pool or another design's child, which all run as the same user. (kill(0) is the process group.)
SIGNALS_TO_SELF_ONLY = ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")
LIMITS_OF_SELF_ONLY = ("prlimit64", "sched_setaffinity")  # allowed with 0 (the caller), as glibc calls them


class WallError(RuntimeError):
    """The child could not confine itself: it must not run the script."""


def wall_unavailable() -> str | None:
    """Why this kernel cannot confine scripts, or None when it can. Cheap: no CadQuery, no child."""
    try:
        import landlock
        import pyseccomp
    except ImportError as err:  # pyseccomp raises this too when libseccomp.so.2 is missing
        return f"a Python package of the wall is missing ({err}); run `make site` or pip install -r requirements.txt"
    except OSError as err:
        return f"libseccomp could not be loaded ({err})"
    try:
        abi = landlock.landlock_abi_version()
    except OSError as err:
        return f"the kernel offers no Landlock ({os.strerror(err.errno)})"
    if abi < MINIMUM_LANDLOCK_ABI:
        return f"the kernel offers Landlock ABI {abi}, the wall needs {MINIMUM_LANDLOCK_ABI} (Linux 6.7)"
    if _prctl(21, 0) < 0:  # PR_GET_SECCOMP: EINVAL when the kernel has no seccomp
        return "the kernel has no seccomp filters"
    del pyseccomp
    return None


def confine(staging: Path, readable: list[Path], own_pid: int) -> None:
    """Confine this process (one thread: check that first) to reading `readable` and writing `staging`."""
    threads = os.listdir(f"/proc/{own_pid}/task")
    if len(threads) != 1:
        raise WallError(f"a child had {len(threads)} threads before confining itself; the wall needs one")
    _drop_capabilities()  # CI runs as root: a root child could still set the clock or the hostname
    _confine_files(staging, readable, own_pid)
    _confine_network_and_signals()
    _confine_syscalls(own_pid)


def read_only_paths() -> list[Path]:
    """What Python, its packages and the libraries they load read while building: nothing of ours or the user's."""
    code_root = Path(__file__).resolve().parents[1]  # this checkout: pipeline/wall.py is one level down
    candidates = [Path(p) for p in sys.path if p] + [
        Path(sys.base_prefix) / "lib", Path("/usr/lib"), Path("/lib"), Path("/lib64"), Path("/usr/lib64"),
        Path("/usr/local/lib"), Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path("/etc/fonts"),
        Path("/etc/ld.so.cache"), Path("/etc/localtime"), Path("/dev/urandom"), Path("/dev/zero"),
        Path("/proc/cpuinfo"), Path("/proc/meminfo"), Path("/proc/stat"), Path("/sys/devices/system/cpu"),
    ]
    paths = []
    for path in candidates:
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if real == code_root or code_root in real.parents and ".venv" not in real.parts:
            continue  # the repository itself (designs, .git, the cache) is never readable; a venv inside it is
        if real not in paths:
            paths.append(real)
    return paths


def _confine_files(staging: Path, readable: list[Path], own_pid: int) -> None:
    from landlock import FSAccess, Ruleset

    handled = FSAccess.all()
    read_dir = FSAccess.READ_FILE | FSAccess.READ_DIR | FSAccess.EXECUTE
    read_file = FSAccess.READ_FILE | FSAccess.EXECUTE
    ruleset = Ruleset(restrict_rules=handled)
    for path in readable + [Path(f"/proc/{own_pid}")]:
        ruleset.allow(path, rules=read_dir if path.is_dir() else read_file)
    ruleset.allow(Path("/dev/null"), rules=FSAccess.READ_FILE | FSAccess.WRITE_FILE)
    # No symlink, device, fifo or socket in the staging folder: the build process publishes what is there.
    ruleset.allow(staging, rules=handled & ~(FSAccess.MAKE_SYM | FSAccess.MAKE_CHAR | FSAccess.MAKE_BLOCK
                                             | FSAccess.MAKE_FIFO | FSAccess.MAKE_SOCK | _ioctl_dev(FSAccess)))
    ctypes.set_errno(0)  # the binding reads errno after each call, not the return value
    ruleset.apply()  # sets no_new_privs first


def _ioctl_dev(access):
    return getattr(access, "IOCTL_DEV", 0) if access.IOCTL_DEV & access.all() else 0


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


def _confine_network_and_signals() -> None:
    """A second Landlock layer: no TCP at all, and (ABI 6) no signal or abstract socket leaving the child."""
    from landlock import landlock_abi_version

    abi = landlock_abi_version()
    attr = _RulesetAttr(0, ACCESS_NET_BIND_TCP | ACCESS_NET_CONNECT_TCP,
                        SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0)
    size = ctypes.sizeof(attr) if abi >= 6 else ctypes.sizeof(ctypes.c_uint64) * 2
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.syscall(ctypes.c_long(SYS_LANDLOCK_CREATE_RULESET), ctypes.byref(attr), ctypes.c_size_t(size),
                      ctypes.c_uint32(0))
    if fd < 0:
        raise WallError(f"Landlock refused the network ruleset: {os.strerror(ctypes.get_errno())}")
    try:
        if libc.syscall(ctypes.c_long(SYS_LANDLOCK_RESTRICT_SELF), ctypes.c_int(fd), ctypes.c_uint32(0)) != 0:
            raise WallError(f"Landlock could not apply the network ruleset: {os.strerror(ctypes.get_errno())}")
    finally:
        os.close(fd)


def _confine_syscalls(own_pid: int) -> None:
    import pyseccomp as seccomp

    refuse, stop = seccomp.ERRNO(errno.EPERM), seccomp.KILL_PROCESS
    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)  # other architectures' calls are killed (libseccomp's default)
    rules.set_attr(seccomp.Attr.CTL_OPTIMIZE, 2)  # a binary tree of syscall numbers: every call checks ~8, not ~150
    for name in STOPPED_SYSCALLS:
        rules.add_rule(stop, name)
    for name in REFUSED_SYSCALLS:
        rules.add_rule(refuse, name)  # ipc (i386's multiplexer): libseccomp maps it where it exists
    for number in REFUSED_SYSCALL_NUMBERS.values():
        rules.add_rule(refuse, number)
    rules.add_rule(stop, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))  # a process, not a thread
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")  # its flags sit in memory seccomp cannot read; glibc falls back to clone
    for name in SIGNALS_TO_SELF_ONLY:
        rules.add_rule(stop, name, seccomp.Arg(0, seccomp.NE, own_pid))
    for name in LIMITS_OF_SELF_ONLY:
        rules.add_rule(refuse, name, seccomp.Arg(0, seccomp.NE, 0))
    rules.add_rule(refuse, "fcntl", seccomp.Arg(1, seccomp.EQ, F_SETPIPE_SZ))  # a pipe's kernel memory stays 64 KiB
    for request in (TIOCSTI, TIOCLINUX, FS_IOC_SETFLAGS, FS_IOC32_SETFLAGS, FS_IOC_FSSETXATTR):
        rules.add_rule(refuse, "ioctl", seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, request))
    rules.load()


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


def _drop_capabilities() -> None:
    """Empty effective, permitted and inheritable sets (capset, version 3: two 32-bit words each)."""
    libc = ctypes.CDLL(None, use_errno=True)
    header = _CapHeader(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    if libc.capset(ctypes.byref(header), ctypes.byref(data)) != 0:
        raise WallError(f"could not drop capabilities: {os.strerror(ctypes.get_errno())}")


def _prctl(option: int, arg: int) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(ctypes.c_int(option), ctypes.c_ulong(arg), ctypes.c_ulong(0), ctypes.c_ulong(0),
                      ctypes.c_ulong(0))


def worker_environment() -> dict[str, str]:
    """Only what Python and OCCT need: no tokens, keys or CI secrets reach a script."""
    keep = ("PATH", "LANG", "LC_ALL", "TZ", "SOURCE_DATE_EPOCH", "VTK_DEFAULT_OPENGL_WINDOW")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["OMP_NUM_THREADS"] = "1"  # also keeps OpenBLAS from starting threads in the zygote, which must fork with one
    env["OPENBLAS_NUM_THREADS"] = "1"
    env["HOME"] = "/nonexistent"
    return env
