#!/usr/bin/env python3
"""Publish downloads-host/ as GitHub release assets, uploading only the files not yet there.

    python tools/upload_downloads.py --downloads-url https://github.com/OWNER/REPO/releases/download/downloads-

The build lays the large downloads out as downloads-host/<ab>/<stem>-<sha256>.<ext>
(pipeline/siteinfo.py, host_path). Folder <ab> becomes the release tagged
<tag prefix><ab> (e.g. downloads-ab): 256 releases, each far below GitHub's
1,000 assets. A name carries its file's SHA-256, so an asset already in its
release is the same bytes and is skipped; nothing published is ever replaced.
An asset GitHub left half-uploaded (state other than "uploaded") is deleted and
sent again.

Needs GITHUB_TOKEN with contents: write; GITHUB_API_URL is GitHub's API unless
set (the tests point it at a stand-in on 127.0.0.1). Only the standard library.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

RELEASE_URL = re.compile(r"^https://github\.com/(?P<repo>[^/]+/[^/]+)/releases/download/(?P<tag_prefix>[^/]*)$")


class UploadError(Exception):
    pass


@dataclass(frozen=True)
class Target:
    repo: str  # OWNER/REPO
    tag_prefix: str

    @classmethod
    def from_downloads_url(cls, url: str) -> Target:
        match = RELEASE_URL.match(url)
        if not match:
            raise UploadError(f"downloads_url {url!r} is not a GitHub release address; expected "
                              "https://github.com/OWNER/REPO/releases/download/<tag prefix>, e.g. ...download/downloads-")
        return cls(match["repo"], match["tag_prefix"])


class GitHubReleases:
    """The few calls of GitHub's REST API this needs: find or create a release, list, delete and upload assets."""

    def __init__(self, repo: str, token: str, api_url: str = "https://api.github.com"):
        self.repo, self.token, self.api_url = repo, token, api_url.rstrip("/")

    def release(self, tag: str) -> dict:
        try:
            return self._call("GET", f"/repos/{self.repo}/releases/tags/{urllib.parse.quote(tag)}")
        except urllib.error.HTTPError as err:
            if err.code != 404:
                raise
        body = {"tag_name": tag, "name": tag, "make_latest": "false",
                "body": "Catalogue downloads, named by their SHA-256 (see tools/upload_downloads.py). Never edited."}
        return self._call("POST", f"/repos/{self.repo}/releases", body)

    def assets(self, release: dict) -> list[dict]:
        found, page = [], 1
        while True:
            batch = self._call("GET", f"/repos/{self.repo}/releases/{release['id']}/assets?per_page=100&page={page}")
            found += batch
            if len(batch) < 100:
                return found
            page += 1

    def delete_asset(self, asset: dict) -> None:
        self._call("DELETE", f"/repos/{self.repo}/releases/assets/{asset['id']}")

    def upload(self, release: dict, path: Path) -> None:
        url = release["upload_url"].split("{", 1)[0] + "?name=" + urllib.parse.quote(path.name)
        self._call("POST", url, path.read_bytes(), content_type="application/octet-stream")

    def _call(self, method: str, path_or_url: str, body=None, content_type: str = "application/json"):
        url = path_or_url if path_or_url.startswith("http") else self.api_url + path_or_url
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": f"Bearer {self.token}", "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28", "Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=300) as response:
            payload = response.read()
        return json.loads(payload) if payload else None


def upload_new(host_dir: Path, target: Target, releases: GitHubReleases) -> tuple[int, int]:
    """Upload every file of `host_dir` missing from its release; returns (uploaded, already there)."""
    uploaded = present = 0
    for folder in sorted(p for p in host_dir.iterdir() if p.is_dir()):
        files = sorted(p for p in folder.iterdir() if p.is_file())
        if not files:
            continue
        release = releases.release(target.tag_prefix + folder.name)
        assets = {a["name"]: a for a in releases.assets(release)}
        for path in files:
            asset = assets.get(path.name)
            if asset is not None and asset.get("state", "uploaded") == "uploaded":
                present += 1
                continue
            if asset is not None:
                releases.delete_asset(asset)
            releases.upload(release, path)
            uploaded += 1
    return uploaded, present


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--downloads-url", default=os.environ.get("DOWNLOADS_URL", ""),
                        help="mkdocs.yml's extra.downloads_url (default: $DOWNLOADS_URL)")
    parser.add_argument("--host-dir", type=Path, default=Path("downloads-host"),
                        help="the folder the build laid out (default: downloads-host)")
    args = parser.parse_args(argv)
    token = os.environ.get("GITHUB_TOKEN")
    try:
        if not token:
            raise UploadError("GITHUB_TOKEN is not set; the workflow passes secrets.GITHUB_TOKEN with contents: write")
        if not args.host_dir.is_dir():
            raise UploadError(f"{args.host_dir}: no such folder; build with extra.downloads_url set first")
        target = Target.from_downloads_url(args.downloads_url)
        releases = GitHubReleases(target.repo, token, os.environ.get("GITHUB_API_URL", "https://api.github.com"))
        uploaded, present = upload_new(args.host_dir, target, releases)
    except UploadError as err:
        print(f"upload_downloads: {err}", file=sys.stderr)
        return 2
    except urllib.error.HTTPError as err:
        print(f"upload_downloads: GitHub answered {err.code} to {err.url}: {err.read()[:300]!r}", file=sys.stderr)
        return 1
    print(f"{uploaded} files uploaded, {present} already published")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
