"""SpiderLoader that adds one StructuredDataSpider per entry of crawlers/sources.toml.

A provider whose site publishes schema.org course data needs one line there, no code:
`netce = { provider = "NetCE", start_url = "https://www.netce.com/...", accepted_by = ["ANCC"] }`.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from scrapy.spiderloader import SpiderLoader

SOURCES_FILE = Path(__file__).with_name("sources.toml")
_DEFAULT_KEYS = ("approved_by", "accepted_by", "delivery", "kind", "categories")


def load_sources(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """The entries of sources.toml; read as package data, so it also works from a Scrapyd egg (a zip)."""
    if path is None:
        data = tomllib.loads(resources.files("crawlers").joinpath("sources.toml").read_text(encoding="utf-8"))
        path = SOURCES_FILE
    else:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    for name, entry in data.items():
        missing = [k for k in ("provider", "start_url") if not entry.get(k)]
        if missing:
            raise ValueError(f"{path}: source {name!r} needs {', '.join(missing)}")
    return data


def source_spiders(path: Path | None = None) -> dict[str, type]:
    from crawlers.bases.structured import StructuredDataSpider

    out: dict[str, type] = {}
    for name, entry in load_sources(path).items():
        defaults = {
            f"{k}_text" if k in ("approved_by", "accepted_by", "categories") else k: entry[k]
            for k in _DEFAULT_KEYS
            if k in entry
        }
        attrs = {
            "name": name,
            "provider": entry["provider"],
            "start_url": entry["start_url"],
            "defaults": defaults,
            "__module__": "crawlers.sources",
            "__doc__": entry.get("note", ""),
        }
        for key in ("credit_unit", "ceu_unit"):  # unit declarations: what the site's words mean
            if key in entry:
                attrs[key] = entry[key]
        out[name] = type(f"{name.title().replace('_', '')}Spider", (StructuredDataSpider,), attrs)
    return out


class SourcesSpiderLoader(SpiderLoader):
    def _load_all_spiders(self) -> None:
        super()._load_all_spiders()
        for name, cls in source_spiders().items():
            if name in self._spiders:
                raise ValueError(f"sources.toml: {name!r} is already a spider in crawlers/spiders/")
            self._spiders[name] = cls
