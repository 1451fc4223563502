"""Shared fixtures: throw-away copies of the project, built with the real pipeline.

Test projects share one set of caches (.cache/tests in the repository, kept between runs): every
cache is content-addressed (the CAD entries and pictures by the variant's key, bundles by their
SHA256SUMS, MkDocs' compiled templates by their source), so a project reusing another's entries gets
exactly the bytes it would have built. Tests about building itself (what is rebuilt, byte identity
of cold builds, interrupted builds) take a project with its own empty cache: `private_cache=True`.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from pipeline.built import BuildReport
from pipeline.cad import pool
from pipeline.catalogue import BuildConfig, build_catalogue

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_CACHE = REPO / ".cache" / "tests"
# Slices are content-addressed (STL, profiles, settings, slicer version) and made by our own trusted slicer from
# our own STL: every test project shares the checkout's own slice cache, so `make site && make test` slices the
# real designs (minutes of work) once. tests/test_production.py slices cold, in private caches, what it checks.
# The CAD entries, pictures, compressed GLB and cut outlines are content-addressed too, and committed whole by one
# rename: shared with the checkout's own, `make test` after `make site` builds the real designs' CAD once as well.
# Tests that damage entries or count what a build does use a private cache.
# A test worker builds a hundred times: as `build.py serve` does, it keeps CadQuery loaded in a template that forks
# each build's zygote (pipeline/cad/pool.py), instead of importing CadQuery anew each time (3 s of CPU). The tests
# of the wall build as `build.py` does, with a zygote started anew (tests/test_cad_wall.py's `walled`).
pool.keep_cadquery_loaded()
SHARED_SLICE_CACHE = REPO / ".cache" / "slices"
SHARED_WITH_THE_CHECKOUT = ("slices", "cad", "thumbnails", "glb", "cutting")


def make_project(root: Path, designs: list[Path], private_cache: bool = False) -> Path:
    """A project folder with the real site configuration and the given design folders."""
    root.mkdir(parents=True, exist_ok=True)
    if not private_cache:
        SHARED_CACHE.mkdir(parents=True, exist_ok=True)
        for kind in SHARED_WITH_THE_CHECKOUT:
            (REPO / ".cache" / kind).mkdir(parents=True, exist_ok=True)
            if not os.path.lexists(SHARED_CACHE / kind):  # an older checkout may hold a folder there: kept
                with contextlib.suppress(FileExistsError):  # made by the other test worker at the same moment
                    (SHARED_CACHE / kind).symlink_to(REPO / ".cache" / kind, target_is_directory=True)
        (root / ".cache").symlink_to(SHARED_CACHE, target_is_directory=True)
    for config in REPO.glob("mkdocs*.yml"):  # one per language
        shutil.copy(config, root / config.name)
    shutil.copytree(REPO / "catalogue", root / "catalogue", ignore=_generated_in_catalogue)
    (root / "designs").mkdir()
    shutil.copy(REPO / "designs" / "tags.yml", root / "designs" / "tags.yml")  # the tags' French names
    for design in designs:
        shutil.copytree(design, root / "designs" / design.name)
    return root


def _generated_in_catalogue(folder: str, names: list[str]) -> set[str]:
    """What a build of the repository left in catalogue/ (the paths .gitignore lists): a test project starts
    from the hand-written pages only, whether or not `make site` ran in this checkout."""
    generated = {line.strip().strip("/") for line in (REPO / ".gitignore").read_text().splitlines()
                 if line.strip().startswith("/catalogue/")}
    here = Path(folder).relative_to(REPO).as_posix()
    return {n for n in names if n.startswith(".") or f"{here}/{n}" in generated}


def real_designs() -> list[Path]:
    return sorted(p for p in (REPO / "designs").iterdir() if (p / "design.yaml").is_file())


def build(root: Path, site: bool = True, production: bool = True) -> BuildReport:
    """`production=False` for a test about another stage whose designs nothing else slices: their small parts make
    plates of a hundred copies, seconds of slicing each that the test never reads."""
    with shared_cache_lock(root):
        return build_catalogue(BuildConfig(root=root, workers=2, site=site, production=production))


@contextlib.contextmanager
def shared_cache_lock(root: Path):
    """One build at a time of the same designs into the shared caches: with parallel test workers (pytest-xdist),
    the second build of the same designs waits and finds them built, rather than building them again beside the
    first. Builds of other designs go on meanwhile (every cache commits whole entries by a rename): in a fresh clone,
    a box's build waited minutes for the catalogue's, a worker idle. A project with its own cache needs no lock."""
    if (root / ".cache").resolve() != SHARED_CACHE.resolve():
        yield
        return
    designs = ",".join(sorted(p.name for p in (root / "designs").iterdir() if p.is_dir()))
    name = hashlib.sha256(designs.encode()).hexdigest()[:16]
    with open(SHARED_CACHE / f".build-lock-{name}", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def catalogue(tmp_path_factory) -> tuple[Path, BuildReport]:
    """The real catalogue, built once from a copy of designs/, site included."""
    root = make_project(tmp_path_factory.mktemp("catalogue"), real_designs())
    report = build(root)
    assert report.ok, "\n".join(map(str, report.problems))
    return root, report


@pytest.fixture
def box_project(tmp_path) -> Path:
    return make_project(tmp_path / "project", [FIXTURES / "designs" / "box"])


@pytest.fixture
def cold_box_project(tmp_path) -> Path:
    """The box in a project with its own empty cache: for tests that count what a build does."""
    return make_project(tmp_path / "project", [FIXTURES / "designs" / "box"], private_cache=True)


def problems_for(root: Path) -> list[str]:
    """Every discovery and validation problem of a project, as the user reads them."""
    from pipeline.source.discover import discover
    from pipeline.source.validate import validate

    sources, found = discover(root / "designs")
    _, invalid = validate(sources, root)
    return [str(p) for p in found + invalid]


def edit_box(root: Path, change) -> None:
    """Apply `change` to the parsed design.yaml of the fixture box, and write it back."""
    import yaml

    path = root / "designs" / "box" / "design.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


# The files that take longest, longest first (`make test` prints the slowest tests at its end; each file's seconds
# below, from a JUnit report of `make test` on 2 cores). pytest-xdist hands out whole files (--dist loadfile), by default those with the most
# tests first: these few-test, long files came last and one worker ran them alone while the other had finished.
# Handed out first, they run beside the many short files. A file missing here only runs later, never not at all.
LONGEST_FIRST = (  # seconds per file in a fresh clone's make test, 2026-12-07 (junit times, 2 workers)
    "test_site_browser.py",  # 98
    "test_cad_build.py",  # 70
    "test_hostile_prs.py",  # 56
    "test_glance_browser.py",  # 49
    "test_production.py",  # 38
    "test_designs.py",  # 33
    "test_commands.py",  # 31
    "test_download_host.py",  # 25
    "test_cutting.py", "test_cad_wall.py", "test_cad_sandbox.py", "test_cad_shard.py",  # 23-24 each
    "test_sewing.py",  # 18
    "test_cad_hostile_designs.py",  # 17
    "test_workshop_browser.py",  # 12
    "test_adopted_scripts.py", "test_cad_exports.py", "test_source_bad_input.py", "test_trust.py",  # 4-6 each
)


def pytest_collection_modifyitems(config, items) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file's own order is kept
