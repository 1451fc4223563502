"""The site's languages: the one place that lists them and what each needs.

The files of a language are listed here (tests/test_languages.py checks that each exists and that the language menu
lists exactly these): `mkdocs.<code>.yml`, `catalogue/pages/<code>/`, the README and the contributor's guide it
names, and mkdocs.yml's `extra.alternate` entry. The generated texts are not: `Text(en, fr)` and the templates'
`tr(en, fr)` are written for English and French, so a third language is a line here and a pass over those.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # as HTML's lang, MkDocs' theme.language and the site's folder write it
    name: str  # in itself, as the language menu shows it
    readme: str  # a zip bundle's README in this language
    contributor_guide: str  # the repository's contributor's guide in this language

    @property
    def site_config(self) -> str:
        """This language's MkDocs configuration, inheriting mkdocs.yml."""
        return f"mkdocs.{self.code}.yml"


# The first is the default: a plain string in design.yaml is in it, and a page shows it where a text lacks another.
ALL = (
    Language("en", "English", readme="README.md", contributor_guide="CONTRIBUTING.md"),
    Language("fr", "Français", readme="LISEZMOI.md", contributor_guide="CONTRIBUER.md"),
)
LANGUAGES = tuple(language.code for language in ALL)
BY_CODE = {language.code: language for language in ALL}
