"""Reviews stage: check every review record against the files just built.

A record whose files hash to what the build made now still holds. Otherwise
the design changed since the review: the reviewed files are rebuilt from the
script at the recorded commit (through the same content-addressed cache and
workers as every build, so this costs nothing once done), and must hash to the
record, or the record is a problem naming it.
"""
from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..built import Artifact, BuildReport, VariantJob
from ..cad.build import build_cad
from ..cad.cache import CadCache, cache_key
from ..config import BuildConfig
from ..model import Design, MeshSettings, Problem, Variant, variant_stem
from ..runner import Tool, ToolError, run
from ..source.script_check import check_script
from ..trust_records import ReviewCheck, ReviewRecord


class RecordError(Exception):
    """Why a record's files cannot be rebuilt, naming the field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class _Rebuild:
    record: ReviewRecord
    job: VariantJob


def check_reviews(records: list[ReviewRecord], designs: list[Design], artifacts: list[Artifact],
                  config: BuildConfig, report: BuildReport) -> list[ReviewCheck]:
    """Each record, matching or rebuilt from its commit; a record that cannot be honoured goes to the report."""
    by_variant = {(a.job.design.slug, a.job.variant.name): a for a in artifacts}
    by_slug = {d.slug: d for d in designs}
    checks: dict[str, ReviewCheck] = {}
    rebuilds: list[_Rebuild] = []
    for record in records:
        if record.slug not in by_slug:
            continue  # the design itself did not validate: its own problems say why
        try:
            formats = _formats(record)
            _check_history(record, config.root)  # hashes alone never raise a status
            current = by_variant.get((record.slug, record.variant))
            if current is not None and _hashes_match(record, current.folder, formats):
                checks[record.path] = ReviewCheck(record, True)
            else:
                rebuilds.append(_Rebuild(record, _old_job(record, by_slug[record.slug], config)))
        except RecordError as err:
            report.problems.append(Problem(f"{record.path}: {err.field}", str(err)))
    for rebuild, entry, problem in _rebuild_all(rebuilds, config):
        if problem is None:
            problem = _hash_problem(rebuild.record, entry)
        if problem is None:
            checks[rebuild.record.path] = ReviewCheck(rebuild.record, False, entry)
        else:
            report.problems.append(problem)
    return [checks[r.path] for r in records if r.path in checks]


# The history a review must belong to: main as published (the remote's when fetched, else the local branch),
# else HEAD. A pull request's own commits are not on main, so a record naming one (a reverted spike, say) is
# refused, as is a commit that is not in the repository at all (forty zeros with hashes copied from SHA256SUMS).
PUBLISHED_REFS = ("refs/remotes/origin/main", "refs/heads/main", "HEAD")
SHALLOW_FIX = ("this clone is shallow: fetch the whole history (`git fetch --unshallow`; in a workflow, "
               "actions/checkout with fetch-depth: 0), or the review is not shown and the status not raised")


def _check_history(record: ReviewRecord, root: Path) -> None:
    """The record's commit exists, is an ancestor of the published main and holds the design (RecordError if not)."""
    commit = record.commit
    if _git(root, "cat-file", "-e", f"{commit}^{{commit}}").returncode != 0:
        shallow = _git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"
        raise RecordError("reviewed.commit", f"{commit[:12]} is not a commit of this repository; "
                          + (SHALLOW_FIX if shallow else "give the commit of main whose files were reviewed"))
    published = next(ref for ref in PUBLISHED_REFS if _git(root, "rev-parse", "-q", "--verify", ref).returncode == 0
                     or ref == "HEAD")
    if _git(root, "merge-base", "--is-ancestor", commit, published).returncode != 0:
        raise RecordError("reviewed.commit", f"{commit[:12]} is not in the history of {published.split('/')[-1]}; "
                          "a review names a commit of the published main, never one of a pull request")
    if _git(root, "cat-file", "-e", f"{commit}:./designs/{record.slug}/design.yaml").returncode != 0:
        raise RecordError("reviewed.commit", f"{commit[:12]} has no designs/{record.slug}/; give the commit whose "
                          "files of this design were reviewed")


def _git(root: Path, *args: str):
    try:
        return run(GIT, ["git", "-C", root, *args], timeout_s=60, check=False)
    except ToolError as err:
        raise RecordError("reviewed.commit", f"{err}; the review cannot be checked") from None


def _formats(record: ReviewRecord) -> dict[str, str]:
    """Each reviewed file's name -> the format the cache stores it as; names are those the site publishes."""
    stem = f"{variant_stem(record.slug, record.variant)}."
    formats = {}
    for name in record.files:
        if not name.startswith(stem):
            raise RecordError(f"reviewed.files.{name}", f"is not a file of variant {record.variant}; "
                              f"its files are named {stem}stl, .step, .3mf or .glb (as SHA256SUMS lists them)")
        formats[name] = name.removeprefix(stem)
    return formats


def _hashes_match(record: ReviewRecord, entry: Path, formats: dict[str, str]) -> bool:
    return all(_sha256(entry / f"model.{fmt}") == record.files[name] for name, fmt in formats.items())


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _old_job(record: ReviewRecord, design: Design, config: BuildConfig) -> VariantJob:
    """The job that rebuilds the reviewed files: the script's bytes at the recorded commit, the recorded values."""
    old_meta = _old_metadata(record, config.root)
    script_name = old_meta.get("script") if isinstance(old_meta.get("script"), str) else design.script_path.name
    source = _git_show(config.root, record, f"designs/{record.slug}/{script_name}")
    _check_source(record, source)
    script = _stored_script(source, config.review_script_dir)
    variant = Variant(record.variant, "", dict(record.parameters), None)
    old = replace(design, script_path=script, variants=(variant,))
    mesh = _mesh(old_meta)
    return VariantJob(old, variant, mesh, cache_key(old, variant, mesh))


def _old_metadata(record: ReviewRecord, root: Path) -> dict:
    text = _git_show(root, record, f"designs/{record.slug}/design.yaml")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    return data if isinstance(data, dict) else {}


def _mesh(meta: dict) -> MeshSettings:
    """The mesh settings the old design.yaml gave (its raw YAML: it may predate today's schema)."""
    spec = meta.get("mesh") if isinstance(meta.get("mesh"), dict) else {}
    default = MeshSettings()
    return MeshSettings(spec.get("tolerance_mm", default.tolerance_mm),
                        spec.get("angular_tolerance_rad", default.angular_tolerance_rad))


GIT = Tool("git", "your system's git package")


def _git_show(root: Path, record: ReviewRecord, path: str) -> bytes:
    """A file as it was at the record's commit (`./` makes the path relative to the project folder)."""
    try:
        done = run(GIT, ["git", "-C", root, "show", f"{record.commit}:./{path}"], timeout_s=60, check=False)
    except ToolError as err:
        raise RecordError("reviewed.commit", f"{err}; the reviewed files cannot be rebuilt") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RecordError("reviewed.commit", f"{path} cannot be read at commit {record.commit} "
                          f"({reason[-1] if reason else 'git failed'}); give the commit whose files were reviewed")
    return done.stdout


def _check_source(record: ReviewRecord, source: bytes) -> None:
    """The old script is checked like any script before it reaches a worker."""
    try:
        refusals = check_script(ast.parse(source))
    except SyntaxError as err:
        raise RecordError("reviewed.commit", f"the script at commit {record.commit[:12]} does not parse (line {err.lineno})") from None
    if refusals:
        raise RecordError("reviewed.commit", f"the script at commit {record.commit[:12]} is refused: line {refusals[0].line}: {refusals[0].message}")


def _stored_script(source: bytes, folder: Path) -> Path:
    """The script's bytes in a content-addressed file: what the cache key hashes and the worker runs."""
    path = folder / f"{hashlib.sha256(source).hexdigest()}.py"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.part")
        partial.write_bytes(source)
        partial.replace(path)
    return path


def _rebuild_all(rebuilds: list[_Rebuild], config: BuildConfig) -> list[tuple[_Rebuild, Path | None, Problem | None]]:
    """Build every old job at once; the cache entry of each, or the problem that kept it from building."""
    if not rebuilds:
        return []
    cache = CadCache(config.cache_dir)
    scratch = BuildReport()  # the old files' own geometry checks are not this build's business
    build_cad([r.job for r in rebuilds], cache, config.root, config.workers, config.limits, scratch,
              cached_only=config.cached_only)
    out = []
    for rebuild in rebuilds:
        entry = cache.lookup(rebuild.job.key)
        problem = None
        if entry is None:
            failures = [p for p in scratch.problems if (p.design, p.variant) == (rebuild.record.slug, rebuild.record.variant)]
            why = failures[0].message if failures else "it did not build"
            problem = Problem(f"{rebuild.record.path}: reviewed", f"the reviewed files cannot be rebuilt from commit "
                              f"{rebuild.record.commit[:12]}: {why}")
        out.append((rebuild, entry, problem))
    return out


def _hash_problem(record: ReviewRecord, entry: Path) -> Problem | None:
    for name, fmt in _formats(record).items():
        rebuilt = _sha256(entry / f"model.{fmt}")
        if rebuilt != record.files[name]:
            return Problem(f"{record.path}: reviewed.files.{name}",
                           f"rebuilt from commit {record.commit[:12]} with the recorded parameters it hashes to "
                           f"{rebuilt[:16]}…, not the recorded {record.files[name][:16]}…; the record does not "
                           "describe files this catalogue can publish: check its commit, variant and parameters")
    return None
