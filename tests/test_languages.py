"""Two languages: what a contributor writes in one language, and what a French reader then sees."""
from __future__ import annotations

import json
import re

from build import summary
from pipeline.categories import CATEGORIES, category_title
from pipeline.languages import ALL
from pipeline.templating import environment

from .conftest import REPO, build, edit_box, problems_for


def test_a_design_without_french_builds_shows_the_english_text_marked_and_is_counted(box_project):
    edit_box(box_project, lambda d: d["parameters"]["depth"].update(description={"en": "Depth.", "fr": "Profondeur."}))
    report = build(box_project)
    assert report.ok, report.problems
    missing = report.untranslated["box"]
    assert "parameters.width.description" in missing and "variants[1].description" in missing
    assert "summary" in missing
    assert "title" not in missing and "parameters.depth.description" not in missing
    french = (box_project / "site/fr/designs/box/index.html").read_text(encoding="utf-8")
    assert '<span lang="en">Width.</span> <span class="untranslated">(non traduit)</span>' in french
    assert "Profondeur." in french and "Boîte de test" in french
    english = (box_project / "site/en/designs/box/index.html").read_text(encoding="utf-8")
    assert "non traduit" not in english and "Width." in english and "Depth." in english
    assert f"{len(missing)} text(s) without French" in summary(report)


def test_tags_have_one_french_name_from_the_glossary_and_a_missing_one_is_counted(box_project):
    edit_box(box_project, lambda d: d.update(tags=["visor", "gizmo"]))
    report = build(box_project)
    assert report.ok, report.problems
    tags = [path for path in report.untranslated["box"] if path.startswith("tag")]
    assert tags == ['tag "gizmo" (designs/tags.yml)']
    french = (box_project / "site/fr/designs/box/index.html").read_text(encoding="utf-8")
    english = (box_project / "site/en/designs/box/index.html").read_text(encoding="utf-8")
    assert re.search(r'class="md-tag">visière<', french) and re.search(r'class="md-tag">gizmo<', french)
    assert re.search(r'class="md-tag">visor<', english) and "visière" not in english
    french_index = (box_project / "site/fr/tags/index.html").read_text(encoding="utf-8")
    assert 'id="tag:visière"' in french_index and 'id="tag:visor"' not in french_index
    entry = json.loads((box_project / "site/catalogue.json").read_text(encoding="utf-8"))["designs"][0]
    assert entry["tags"] == {"en": ["visor", "gizmo"], "fr": ["visière", "gizmo"]}  # as each site shows them
    assert entry["metadata"]["tags"] == ["visor", "gizmo"]  # design.yaml as written


def test_a_broken_tag_glossary_is_named_and_the_designs_still_build(box_project):
    (box_project / "designs/tags.yml").write_text("visor: visière\nheadband: [serre-tête\n", encoding="utf-8")
    edit_box(box_project, lambda d: d.update(tags=["visor"]))
    problems = problems_for(box_project)
    assert len(problems) == 1
    assert re.fullmatch(r'designs/tags.yml:\d+: is not valid YAML \(.*\); write one line per tag, '
                        r'"<tag in English>: <nom français>"', problems[0])
    report = build(box_project)
    assert [str(p) for p in report.problems] == problems
    french = (box_project / "site/fr/designs/box/index.html").read_text(encoding="utf-8")
    assert re.search(r'class="md-tag">visor<', french)  # in English, until the glossary is mended


def test_a_text_in_french_only_names_the_field_and_the_fix(box_project):
    edit_box(box_project, lambda d: d["parameters"]["width"].update(description={"fr": "Largeur."}))
    problems = problems_for(box_project)
    assert len(problems) == 1
    assert re.search(r"design.yaml:\d+: parameters.width.description: .* is not a text; write it as a plain string "
                     r"\(English\) or with en: and fr: keys \(en required\)", problems[0])


def test_generated_words_follow_the_page_language():
    template = environment().from_string('{{ tr("Downloads", "Téléchargements") }} {{ 0.4 | num }} {{ 1500 | size }}')
    assert template.render(lang="en") == "Downloads 0.4 1.5\u00a0kB"  # a size never splits from its unit
    assert template.render(lang="fr") == "Téléchargements 0,4 1,5\u00a0ko"
    durations = environment().from_string('{{ "1 h 07 min" | duration }}; {{ "2 d 03 h" | duration }}')
    assert durations.render(lang="en") == "1\u00a0h\u00a007\u00a0min; 2\u00a0d\u00a003\u00a0h"  # never split in a cell
    assert durations.render(lang="fr") == "1\u00a0h\u00a007\u00a0min; 2\u00a0j\u00a003\u00a0h"


def _yaml(name: str) -> dict:
    """A MkDocs configuration file, its !ENV tags read as their default."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: loader.construct_sequence(node)[-1])
    return yaml.load((REPO / name).read_text(encoding="utf-8"), Loader=Loader)


def test_each_navigation_lists_the_categories_in_order_with_their_titles_in_its_language():
    for language in ALL:
        nav = _yaml(language.site_config)["nav"]
        designs = next(entry for entry in nav if isinstance(entry, dict) and any(
            isinstance(v, list) and "designs/index.md" in v for v in entry.values()))
        listed = [item for item in next(iter(designs.values())) if isinstance(item, dict)]
        expected = [{category_title(c, language.code): f"designs/categories/{c}.md"} for c in CATEGORIES]
        assert listed == expected, f"{language.site_config}: its categories differ from pipeline/categories.py"


def test_the_schema_allows_exactly_the_categories():
    schema = json.loads((REPO / "schema/design.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["category"]["enum"] == list(CATEGORIES)


def test_each_language_has_its_configuration_pages_readme_and_guide_and_a_place_in_the_menu():
    for language in ALL:
        config = _yaml(language.site_config)
        assert config["INHERIT"] == "mkdocs.yml" and config["theme"]["language"] == language.code
        assert config["docs_dir"] == f"catalogue/{language.code}" and config["site_dir"] == f"site/{language.code}"
        assert {"search": {"lang": language.code}} in config["plugins"]
        assert (REPO / "catalogue" / "pages" / language.code).is_dir()
        assert (REPO / language.readme).is_file() and (REPO / language.contributor_guide).is_file()
    menu = [(entry["lang"], entry["name"]) for entry in _yaml("mkdocs.yml")["extra"]["alternate"]]
    assert menu == [(language.code, language.name) for language in ALL]
    assert sorted(p.name for p in REPO.glob("mkdocs.*.yml")) == sorted(language.site_config for language in ALL)


def test_each_language_has_the_same_markdown_extensions_with_its_own_anchor_title():
    """markdown_extensions is a list, so it lives in each language's file (MkDocs would replace an inherited one,
    Zensical append to it); only the heading anchors' title differs."""
    configs = {language.code: _yaml(language.site_config)["markdown_extensions"] for language in ALL}
    titles = {code: next(e["toc"]["permalink_title"] for e in extensions if isinstance(e, dict) and "toc" in e)
              for code, extensions in configs.items()}
    assert titles == {"en": "Permanent link", "fr": "Lien permanent"}
    without_titles = [[{k: {kk: vv for kk, vv in v.items() if kk != "permalink_title"} for k, v in e.items()}
                       if isinstance(e, dict) else e for e in extensions] for extensions in configs.values()]
    assert all(extensions == without_titles[0] for extensions in without_titles)
    assert "markdown_extensions" not in _yaml("mkdocs.yml")
