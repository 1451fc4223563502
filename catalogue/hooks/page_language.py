"""MkDocs hook (mkdocs.yml `hooks:`): what Python-Markdown writes into the pages, in the site's language.

The heading anchors' title ("Permanent link") is a Markdown extension's option, set for every language in the shared
mkdocs.yml; MkDocs replaces an inherited list rather than merging it, so each language's value is set here."""
from __future__ import annotations

PERMALINK_TITLES = {"en": "Permanent link", "fr": "Lien permanent"}


def on_config(config):
    language = config.theme["language"]
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = PERMALINK_TITLES.get(language, PERMALINK_TITLES["en"])
    return config
