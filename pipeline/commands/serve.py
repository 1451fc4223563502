"""`python build.py serve`: MkDocs' live-reloading dev server over the catalogue.

MkDocs watches designs/ (and its own docs folder); before each of its builds,
the hook `serve_hook.py` runs the catalogue's build (without the site stage)
when a file under designs/ changed. The cache makes that rebuild only the
variants whose script or parameters changed. Writing the generated pages
triggers one more MkDocs build, which finds designs/ unchanged and stops.
"""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..built import BuildReport
from ..cad.pool import keep_cadquery_loaded
from ..catalogue import build_catalogue
from ..config import BuildConfig
from ..site import SITE_CONFIGS
from ..siteinfo import read_site_info

HOOK = Path(__file__).resolve().parent / "serve_hook.py"


@dataclass
class Rebuilder:
    """Rebuilds the catalogue's pages when anything under designs/ changed since the last time."""

    config: BuildConfig
    fingerprint: tuple = field(default=())
    builds: int = 0

    def __call__(self) -> BuildReport | None:
        current = designs_fingerprint(self.config.designs_dir)
        if current == self.fingerprint:
            return None
        report = build_catalogue(self.config)
        self.fingerprint, self.builds = current, self.builds + 1
        problems = "".join(f"\n  {p}" for p in report.problems)
        stages = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in report.timings.items() if seconds >= 0.05)
        print(f"catalogue: {len(report.artifacts)} variants ({report.cad_jobs_run} rebuilt, {report.slicer_runs} slicer "
              f"runs; {stages}); {len(report.problems)} problem(s){problems}", file=sys.stderr, flush=True)
        return report


def designs_fingerprint(designs_dir: Path) -> tuple:
    """Path, size and modification time of every file under designs/: cheap, and changes with any edit."""
    files = sorted(p for p in designs_dir.rglob("*") if p.is_file())
    return tuple((p.relative_to(designs_dir).as_posix(), p.stat().st_size, p.stat().st_mtime_ns) for p in files)


# The one Rebuilder of this process; serve_hook.py calls it (MkDocs loads hooks as separate modules).
current: Rebuilder | None = None


def serve(config: BuildConfig, dev_addr: str | None, lang: str = "en") -> None:
    """One language's site, at <site_url>/<lang>/ as published; the shared downloads are not served (links to them fail here)."""
    global current
    from mkdocs.commands.serve import serve as mkdocs_serve

    _show_mkdocs_messages()
    keep_cadquery_loaded()  # each save's rebuild forks its CAD zygote: no CadQuery import of 3 s each time
    current = Rebuilder(replace(config, site=False))
    current()  # the language's docs folder is generated: it must exist before MkDocs reads its configuration
    options = {"dev_addr": dev_addr} if dev_addr else {}
    mkdocs_yml = config.root / SITE_CONFIGS[lang]
    site_url = f"{read_site_info(config.mkdocs_yml).site_url}{lang}/"
    mkdocs_serve(config_file=str(mkdocs_yml), livereload=True, watch=[str(config.designs_dir)],
                 hooks=_existing_hooks(mkdocs_yml) + [str(HOOK)], site_url=site_url, **options)


def _show_mkdocs_messages() -> None:
    """MkDocs' own command line sets this up; we call its serve() directly."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def _existing_hooks(mkdocs_yml: Path) -> list[str]:
    """Hooks mkdocs.yml already declares: passing ours must not drop them."""
    from mkdocs.utils.yaml import yaml_load

    with mkdocs_yml.open(encoding="utf-8") as handle:
        declared = (yaml_load(handle) or {}).get("hooks", [])
    return [str((mkdocs_yml.parent / hook).resolve()) for hook in declared]
