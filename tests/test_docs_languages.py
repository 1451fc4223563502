"""The README and the contributor's guide in English and in French: kept in step, commands that exist, and the
site's pages linking to the guide in their own language, at a section GitHub can find."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

import build as cli
from pipeline.siteinfo import github_anchor, read_site_info
from pipeline.source.validate import load_schema

from .conftest import REPO, build

GUIDES = {"en": "CONTRIBUTING.md", "fr": "CONTRIBUER.md"}
READMES = {"en": "README.md", "fr": "LISEZMOI.md"}
FENCE = re.compile(r"^```[^\n]*\n.*?^```$", re.M | re.S)
SHELLS = ("", "sh", "bash", "console", "shell")


def read(name: str) -> str:
    return (REPO / name).read_text(encoding="utf-8")


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, text) of every ATX heading outside fenced code blocks."""
    prose = FENCE.sub("", markdown)
    return [(len(m.group(1)), m.group(2).strip()) for m in re.finditer(r"^(#{1,6}) +(.+?) *#*$", prose, re.M)]


def slug_as_github(text: str) -> str:
    """GitHub's anchor for a heading, written apart from the pipeline's own: the rendered text (code without its
    backticks), lower case, everything but word characters, '-' and ' ' removed, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", text.replace("`", "").lower()).replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    """Every anchor GitHub gives the headings of a Markdown file (a repeated one gets -1, -2, ...)."""
    seen: dict[str, int] = {}
    found = set()
    for _, text in headings(markdown):
        slug = slug_as_github(text)
        found.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return found


def command_lines(markdown: str) -> list[str]:
    """The commands of a file's shell code blocks: comments and the output lines (starting with #) left out,
    spaces normalised."""
    commands = []
    for block in FENCE.findall(markdown):
        info, _, body = block.partition("\n")
        if info.removeprefix("```").strip() not in SHELLS:
            continue
        for line in body.removesuffix("```").splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command and not command.startswith("#"):
                commands.append(" ".join(command.split()))
    return commands


def make_targets() -> set[str]:
    """`make <target>` for every target of the Makefile, its variables expanded."""
    makefile = read("Makefile")
    variables = dict(re.findall(r"^(\w+) *[:?]?= *(.*?) *$", makefile, re.M))
    targets = set()
    for line in re.findall(r"^([^\s#:=][^:=]*):(?!=)", makefile, re.M):
        for target in line.split():
            if re.fullmatch(r"\.[A-Z]+", target):  # .PHONY: a declaration, not a target
                continue
            for _ in range(3):  # variables may name variables
                target = re.sub(r"\$\((\w+)\)", lambda m: variables[m.group(1)], target)
            targets.add(f"make {target}")
    return targets


def test_both_guides_have_the_same_code_blocks_in_the_same_order():
    english, french = (FENCE.findall(read(GUIDES[lang])) for lang in ("en", "fr"))
    assert english, "CONTRIBUTING.md has no code block"
    missing_in_french = [block for block in english if block not in french]
    missing_in_english = [block for block in french if block not in english]
    assert missing_in_french == [] and missing_in_english == [], "a command or example differs between the guides"
    assert english == french


def test_both_guides_have_the_same_sections_at_each_level():
    english, french = (headings(read(GUIDES[lang])) for lang in ("en", "fr"))
    assert len(english) > 5
    assert [level for level, _ in english] == [level for level, _ in french], (english, french)


def test_both_guides_explain_every_metadata_field():
    for lang in ("en", "fr"):
        text = read(GUIDES[lang])
        missing = [field for field in load_schema()["properties"] if f"| `{field}` |" not in text]
        assert missing == [], f"{GUIDES[lang]} does not explain {missing}"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_readme_and_guide_starts_by_pointing_to_the_other_language(lang):
    other = "fr" if lang == "en" else "en"
    for files in (READMES, GUIDES):
        first = read(files[lang]).splitlines()[0]
        assert f"]({files[other]})" in first, f"{files[lang]}: the first line does not link {files[other]}"


def test_every_command_of_the_french_readme_is_one_the_english_docs_or_the_makefile_give():
    known = set(command_lines(read("README.md"))) | set(command_lines(read("CONTRIBUTING.md"))) | make_targets()
    french = command_lines(read("LISEZMOI.md"))
    assert len(french) >= 5
    invented = [command for command in french if command not in known]
    assert invented == [], f"LISEZMOI.md: commands given nowhere in README.md, CONTRIBUTING.md or the Makefile: {invented}"


def test_every_build_command_of_the_docs_is_accepted_by_build_py():
    checked = dict.fromkeys((*READMES.values(), *GUIDES.values()), 0)
    for name in checked:
        for command in command_lines(read(name)):
            words = shlex.split(command)
            if "build.py" not in words:
                continue
            arguments = words[words.index("build.py") + 1:]
            if "--help" in arguments:
                continue
            try:
                cli.parse_args(arguments)
            except SystemExit:  # argparse's way of refusing a command line (status 2, its message on stderr)
                pytest.fail(f"{name}: build.py refuses `{command}`")
            checked[name] += 1
    # the English docs give every command (the README's Building section, the guide's steps); a parser that
    # found no command would otherwise pass here having checked nothing
    assert checked["README.md"] >= 8 and checked["CONTRIBUTING.md"] >= 5 and sum(checked.values()) >= 20, checked


def test_the_french_readme_links_only_sections_that_exist():
    readme = read("LISEZMOI.md")
    links = re.findall(r"\]\(((?:CONTRIBUER|README)\.md)#([^)]+)\)", readme)
    assert ("CONTRIBUER.md", "le-confinement-des-scripts") in links
    for name, anchor in links:
        assert anchor in anchors(read(name)), f"LISEZMOI.md links {name}#{anchor}, a section {name} does not have"


def test_headings_get_the_anchors_github_gives_them():
    # Anchors as GitHub shows them: code loses its backticks and dot, accents stay, apostrophes and no-break
    # spaces go, each space is a hyphen.
    examples = {"`design.yaml`, field by field": "designyaml-field-by-field",
                "Évaluations et comptes rendus d'impression": "évaluations-et-comptes-rendus-dimpression",
                "De l'idée à la pull request": "de-lidée-à-la-pull-request",
                "Le script\u00a0: à lire": "le-script-à-lire",
                "build_time_limit_s (2.0)": "build_time_limit_s-20"}
    for heading, anchor in examples.items():
        assert github_anchor(heading) == anchor, heading
        assert slug_as_github(heading) == anchor, heading


def test_design_pages_link_the_guide_in_their_language_at_a_section_it_has(box_project):
    report = build(box_project)
    assert report.ok, report.problems
    repo_url = read_site_info(box_project / "mkdocs.yml").repo_url
    assert repo_url
    for lang, guide in GUIDES.items():
        page = (box_project / f"site/{lang}/designs/box/index.html").read_text(encoding="utf-8")
        links = re.findall(r'<a href="([^"#]+)#([^"]+)">([^<]+)</a>', page)
        to_guides = [(url, anchor, text) for url, anchor, text in links if url.endswith(tuple(GUIDES.values()))]
        assert len(to_guides) == 2, f"{lang}: the reviews and the print reports sections each link the guide once"
        for url, anchor, text in to_guides:
            assert url == f"{repo_url}/blob/main/{guide}", f"{lang} page links {url}"
            assert anchor in anchors(read(guide)), f"{lang} page links {guide}#{anchor}, a section it does not have"
            section = next(t for _, t in headings(read(guide)) if slug_as_github(t) == anchor)
            assert text.startswith(guide) and section in text.replace("&#39;", "'"), text
        assert "CONTRIBUTING.md, « Reviews" not in page


def test_the_home_page_leads_a_contributor_to_the_guide_in_its_language(box_project):
    report = build(box_project)
    assert report.ok, report.problems
    repo_url = read_site_info(box_project / "mkdocs.yml").repo_url
    for lang, guide in GUIDES.items():
        page = (box_project / f"site/{lang}/index.html").read_text(encoding="utf-8")
        links = re.findall(r'<a href="([^"#]+)#([^"]+)">', page)
        first_section = slug_as_github(next(text for level, text in headings(read(guide)) if level == 2))
        assert [(url, anchor) for url, anchor in links if url.endswith(guide)] == [
            (f"{repo_url}/blob/main/{guide}", first_section)], f"{lang}: one link, to the guide's first section"


def test_without_a_repository_the_page_names_the_guide_without_a_link(box_project):
    config = box_project / "mkdocs.yml"
    config.write_text(re.sub(r"^  repo_url: .*\n", "", config.read_text(encoding="utf-8"), flags=re.M),
                      encoding="utf-8")
    assert read_site_info(config).repo_url is None
    report = build(box_project, site=False)
    assert report.ok, report.problems
    french = Path(box_project / "catalogue/fr/designs/box.md").read_text(encoding="utf-8")
    assert "voir CONTRIBUER.md, « Évaluations et comptes rendus d'impression »." in french
    assert "](" not in french.split("## Évaluations")[1].split("##")[0]
