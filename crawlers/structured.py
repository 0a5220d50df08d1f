"""schema.org courses from HTML: JSON-LD, microdata and RDFa, in the shapes real sites publish.

Pure functions (no Scrapy), shared by the generic `structured` spider and the provider spiders.
Handles `@graph` and `@id` references, ItemList/itemListElement, OfferCatalog/itemOffered, offers as
an object or a list, AggregateOffer, priceSpecification, isAccessibleForFree, numberOfCredits as a
number or a StructuredValue, ISO 8601 timeRequired/courseWorkload, `@type` lists and http/https
contexts. A broken JSON-LD block is reported in `Extraction.errors`; the rest of the page still counts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlparse

from crawlers.items import RawOffering

COURSE_TYPES = {"Course", "EducationalOccupationalProgram"}
_SCHEMA = re.compile(r"^(?:https?://schema\.org/|schema:)")
_MEMBER = re.compile(r"member", re.I)
_NON_MEMBER = re.compile(r"non[\s-]?member|regular|list|general|standard|public", re.I)


@dataclass
class Extraction:
    courses: list[RawOffering] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: True when the page carried any schema.org data at all (courses or not).
    has_data: bool = False
    #: Pages a list names without marking a course up (ListItem with only a `url`), resolved.
    links: list[str] = field(default_factory=list)


def extract(html: str, url: str, *, provider: str | None = None) -> Extraction:
    """Every Course/EducationalOccupationalProgram on the page as a RawOffering."""
    out = Extraction()
    roots = _jsonld_blocks(html, out.errors) + _micro_rdfa(html, url, out.errors)
    out.has_data = bool(roots)
    graph = _Graph(roots)
    for course, parent_offers, org in graph.courses():
        out.courses.append(_to_raw(graph, course, parent_offers, org, url, provider))
    _fill_refs(out.courses, url)
    out.links = [urljoin(url, link) for link in graph.list_links()]
    return out


# ----------------------------------------------------------------------------- reading the syntaxes


def _jsonld_blocks(html: str, errors: list[str]) -> list[Any]:
    from parsel import Selector

    blocks = []
    scripts = [
        "".join(node.xpath("text()").getall())
        for node in Selector(text=html).xpath("//script[@type]")
        if node.attrib["type"].strip().lower().startswith("application/ld+json")
    ]
    for i, text in enumerate(scripts, 1):
        if not text.strip():
            continue
        try:
            blocks.append(json.loads(text, strict=False))
        except ValueError as e:
            try:  # leading HTML or JS comments, as extruct tolerates
                import jstyleson

                blocks.append(
                    jstyleson.loads(re.sub(r"^\s*(<!--|-->|//.*)$", "", text, flags=re.M), strict=False)
                )
            except Exception:
                errors.append(f"broken JSON-LD in script block {i}: {e}")
    return [_compact(b) for b in blocks]


def _micro_rdfa(html: str, url: str, errors: list[str]) -> list[Any]:
    import extruct

    # Only typed nodes count, so RDFa runs only where `typeof` appears (not for Open Graph `property` tags).
    syntaxes = [name for name, marker in (("microdata", "itemscope"), ("rdfa", "typeof")) if marker in html]
    if not syntaxes:
        return []
    try:
        data = extruct.extract(html, base_url=url, syntaxes=syntaxes, uniform=True, errors="strict")
    except Exception as e:  # extruct surfaces lxml/rdflib errors of many kinds
        errors.append(f"unreadable microdata/RDFa: {e}")
        return []
    nodes = [n for n in data.get("rdfa", []) if "@type" in n]
    return [_compact(n) for n in data.get("microdata", []) + nodes]


def _compact(value: Any) -> Any:
    """Strip schema.org IRIs from keys and types, unwrap {"@value": x}; keep structure otherwise."""
    if isinstance(value, list):
        return [_compact(v) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) <= {"@value", "@type", "@language"} and "@value" in value:
        return value["@value"]
    out: dict[str, Any] = {}
    for key, v in value.items():
        key = _SCHEMA.sub("", key)
        if key == "@type":
            v = [_SCHEMA.sub("", t) for t in (v if isinstance(v, list) else [v]) if isinstance(t, str)]
        elif key != "@context":
            v = _compact(v)
        out[key] = v
    return out


class _Graph:
    """All nodes with an `@id` index, so references resolve wherever they point."""

    def __init__(self, roots: list[Any]):
        self.roots = roots
        self.by_id: dict[str, dict] = {}
        for node in self._walk(roots):
            if "@id" in node and len(node) > 1:
                self.by_id.setdefault(str(node["@id"]), node)

    def _walk(self, value: Any):
        if isinstance(value, list):
            for v in value:
                yield from self._walk(v)
        elif isinstance(value, dict):
            yield value
            for v in value.values():
                yield from self._walk(v)

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"@id"}:
            return self.by_id.get(str(value["@id"]), value)
        return value

    def all(self, node: dict, key: str) -> list[Any]:
        v = node.get(key)
        items = v if isinstance(v, list) else ([] if v is None else [v])
        return [self.resolve(i) for i in items]

    def first(self, node: dict, key: str) -> Any:
        items = self.all(node, key)
        return items[0] if items else None

    def list_links(self) -> list[str]:
        """The `url` (or string `item`) of every ListItem that carries no node of its own."""
        out = []
        for node in self._walk(self.roots):
            if "ListItem" in (node.get("@type") or []) and not isinstance(
                self.resolve(node.get("item")), dict
            ):
                link = node.get("item") if isinstance(node.get("item"), str) else node.get("url")
                if isinstance(link, str) and link.strip():
                    out.append(link.strip())
        return out

    def courses(self) -> list[tuple[dict, list[dict], dict | None]]:
        """(course, offers that name it as itemOffered, the Organization whose hasOfferCatalog or
        makesOffer lists it), each course once, in document order."""
        found: dict[int, tuple[dict, list[dict], list[dict]]] = {}
        seen: set[int] = set()

        def visit(value: Any, offer: dict | None, org: dict | None) -> None:
            value = self.resolve(value)
            if isinstance(value, list):
                for v in value:
                    visit(v, offer, org)
                return
            if not isinstance(value, dict) or id(value) in seen and offer is None:
                return
            types = set(value.get("@type") or [])
            if types & COURSE_TYPES:
                entry = found.setdefault(id(value), (value, [], []))
                if offer is not None and offer not in entry[1]:
                    entry[1].append(offer)
                if org is not None and not entry[2]:
                    entry[2].append(org)
                if id(value) in seen:
                    return
            seen.add(id(value))
            is_offer = bool(types & {"Offer", "AggregateOffer"})
            for key, v in value.items():
                if key in ("hasCourseInstance", "@context"):
                    continue
                child_org = value if key in ("hasOfferCatalog", "makesOffer") else org
                visit(v, value if is_offer and key == "itemOffered" else None, child_org)

        visit(self.roots, None, None)
        return [(course, offers, orgs[0] if orgs else None) for course, offers, orgs in found.values()]


# ----------------------------------------------------------------------------- course -> RawOffering


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value"))
    if isinstance(value, list):
        return _text(value[0]) if value else None
    return str(value).strip() or None


def _to_raw(
    g: _Graph, course: dict, parent_offers: list[dict], org: dict | None, page_url: str, provider: str | None
) -> RawOffering:
    instances = [i for i in g.all(course, "hasCourseInstance") if isinstance(i, dict)]
    offers = [o for src in [course, *instances] for o in g.all(src, "offers")] + parent_offers
    offers = [o for o in offers if isinstance(o, dict)]
    prices = [p for o in offers for p in _offer_prices(g, o)]
    general, member, others = _choose_prices(prices)
    free = any(_truthy(_text(n.get("isAccessibleForFree"))) for n in [course, *offers])
    link = _text(course.get("url"))
    raw = RawOffering(
        title=_text(course.get("name")) or "",
        url=urljoin(page_url, link) if link else page_url,
        provider=provider
        or _text(g.first(course, "provider"))
        or _text(g.first(course, "offeredBy"))
        or next((t for o in offers for k in ("offeredBy", "seller") if (t := _text(g.first(o, k)))), None)
        or (_text(org) if org is not None else None)
        or urlparse(page_url).hostname
        or "",
        kind="course",
        price_text=general or ("Free" if free else None),
        member_price_text=member,
        other_prices=others,
        description=_text(course.get("description")),
        hours_text=next(
            (
                _text(n.get(k))
                for n in [course, *instances]
                for k in ("timeRequired", "courseWorkload")
                if n.get(k)
            ),
            None,
        ),
        credits_text=[t for c in g.all(course, "numberOfCredits") if (t := _credit_text(c))],
        categories_text=[t for a in g.all(course, "about") if (t := _text(a))],
        delivery=_delivery([_text(i.get("courseMode")) for i in instances]),
        extras={"schema_type": sorted(course.get("@type") or [])},
    )
    code = _text(course.get("courseCode")) or _text(course.get("identifier")) or _text(course.get("sku"))
    raw.ref = _slug(code) if code else ""
    raw.extras["_link"] = bool(link)
    lows = [_text(o.get("lowPrice")) for o in offers if o.get("lowPrice") is not None and not prices]
    if lows:
        raw.extras["price_from_text"] = lows[0]
    currencies = sorted({c for o in offers if (c := _text(o.get("priceCurrency")))} - {"USD"})
    if currencies:
        raw.extras["currency"] = currencies[0]
    return raw


def _offer_prices(g: _Graph, offer: dict) -> list[tuple[str, str]]:
    """(label, price text) pairs of one Offer: its price, each priceSpecification, or a low-high range."""
    label = " ".join(
        filter(
            None,
            [
                _text(offer.get("name")),
                _text(offer.get("category")),
                _text(offer.get("eligibleCustomerType")),
            ],
        )
    )
    out = []
    specs = [s for s in g.all(offer, "priceSpecification") if isinstance(s, dict)]
    for s in specs:
        slabel = " ".join(
            filter(
                None,
                [
                    label,
                    _text(s.get("name")),
                    _text(s.get("priceType")),
                    _text(s.get("eligibleCustomerType")),
                ],
            )
        )
        if s.get("price") is not None:
            out.append((slabel, _price(s.get("price"))))
        elif s.get("minPrice") is not None and s.get("maxPrice") is not None:
            out.append((slabel, f"{_price(s['minPrice'])} - {_price(s['maxPrice'])}"))
    if offer.get("price") is not None and not (
        specs and out and any(p == _price(offer["price"]) for _, p in out)
    ):
        out.insert(0, (label, _price(offer.get("price"))))
    if not out and offer.get("lowPrice") is not None and offer.get("highPrice") is not None:
        out.append((label, f"{_price(offer['lowPrice'])} - {_price(offer['highPrice'])}"))
    return out  # a lowPrice alone ("from $15") is no price: _to_raw keeps it in extras


def _price(value: Any) -> str:
    v = _text(value) or ""
    return v


def _choose_prices(prices: list[tuple[str, str]]) -> tuple[str | None, str | None, list[dict[str, str]]]:
    """The general non-member price, the member price, and every other price kept with its label."""
    if not prices:
        return None, None, []
    members = [p for p in prices if _MEMBER.search(p[0]) and not _NON_MEMBER.search(p[0])]
    general = next((p for p in prices if p not in members), None)
    member = members[0] if members else None
    others = [{"label": lbl, "price_text": t} for lbl, t in prices if (lbl, t) not in (general, member)]
    return (general[1] if general else None), (member[1] if member else None), others


def _credit_text(value: Any) -> str | None:
    """numberOfCredits as the page states it: "2 CEUs", or a bare "2" (no unit word is invented)."""
    if isinstance(value, dict):
        amount = _text(value.get("value"))
        unit = _text(value.get("unitText")) or _text(value.get("unitCode"))
        return (f"{amount} {unit}" if unit else amount) if amount else None
    return _text(value)


def _delivery(modes: list[str | None]) -> str | None:
    for m in filter(None, modes):
        low = m.lower()
        if "online" in low:
            return "online"
        if "onsite" in low or "in person" in low or "in-person" in low:
            return "in_person"
    return None


def _truthy(v: Any) -> bool:
    return v is True or (isinstance(v, str) and v.strip().lower() in ("true", "yes"))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _fill_refs(courses: list[RawOffering], page_url: str) -> None:
    """Refs from course codes, else the course URL's path, else the page path plus the title."""
    for raw in courses:
        linked = raw.extras.get("_link", False)  # kept for the spider; "_" extras are not exported
        if raw.ref:
            continue
        path = _slug(urlparse(raw.url).path) or "home"
        if linked or len(courses) == 1:
            raw.ref = path
        else:
            raw.ref = f"{path}-{_slug(raw.title)}" if raw.title else path
