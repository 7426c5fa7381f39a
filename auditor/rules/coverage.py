"""Coverage of a pack: which rules answer each citation row of the regulations' digest.

``rules/citations.yaml`` lists the rows of the digest (``regulations.md`` and ``national.md``),
each with the Điều/khoản/điểm it cites. A citation is *covered* by a rule of the pack that cites the
same document and article, the same clause when the row names one, and the same point when both
name one (ranges such as ``k1–2`` or ``b–h`` are matched by their first number or letter). A row is
covered when each of its citations whose document the pack holds is covered; rows of documents
the pack does not hold are left out.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from auditor.models import Citation
from auditor.rules.loader import Pack
from auditor.rules.schema import Rule

CITATIONS_FILE = "citations.yaml"


@dataclass(frozen=True)
class Cite:
    """One citation of a digest row."""

    document: str
    article: str
    clause: str | None = None
    point: str | None = None

    def label(self) -> str:
        """E.g. ``Đ5 k1 a``."""
        out = f"Đ{self.article}" if self.article[:1].isdigit() else self.article
        out += f" k{self.clause}" if self.clause else ""
        return out + (f" {self.point}" if self.point else "")


@dataclass(frozen=True)
class DigestRow:
    """One row of the digest."""

    source: str  # the document of the section, or "national"
    ref: str
    requirement: str
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class CoverageRow:
    """A digest row with the rules that answer it."""

    row: DigestRow
    cites: tuple[tuple[Cite, tuple[Rule, ...]], ...]  # only citations of the pack's documents
    retired: tuple[tuple[Cite, tuple[tuple[Rule, str], ...]], ...] = ()

    @property
    def covered(self) -> bool:
        """Every citation has a rule, or a base rule this pack retired with a reason."""
        gone = {c for c, rules in self.retired if rules}
        return all(rules or cite in gone for cite, rules in self.cites)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules of every citation, without repeats."""
        out: list[Rule] = []
        for _, rules in self.cites:
            out.extend(r for r in rules if r not in out)
        return tuple(out)


def load_digest(rules_dir: Path) -> tuple[DigestRow, ...]:
    """The rows of ``rules/citations.yaml``."""
    data: Any = yaml.safe_load((rules_dir / CITATIONS_FILE).read_text(encoding="utf-8"))
    rows: list[DigestRow] = []
    for raw in data["rows"]:
        cites = tuple(
            Cite(str(c["document"]), str(c["article"]), c.get("clause"), c.get("point"))
            for c in raw.get("cites") or ()
        )
        rows.append(DigestRow(raw["source"], raw["ref"], raw["requirement"], cites))
    return tuple(rows)


def _first(text: str | None) -> str | None:
    if text is None:
        return None
    match = re.match(r"\s*(\d+|[^\W\d_])", text)
    return match.group(1) if match else text.strip()


def cites_match(cite: Cite, citation: Citation) -> bool:
    """Whether a rule's ``citation`` answers ``cite``."""
    if citation.document != cite.document:
        return False
    if cite.article == "*":
        return True
    if _first(citation.article) != _first(cite.article):
        return False
    clauses = (cite.clause, citation.clause)
    if None not in clauses and _first(clauses[0]) != _first(clauses[1]):
        return False
    if cite.point is not None and citation.point is not None:
        return _first(citation.point) == _first(cite.point)
    return True


def coverage(pack: Pack, digest: tuple[DigestRow, ...]) -> tuple[CoverageRow, ...]:
    """The digest rows that concern ``pack``'s documents, each with its rules."""
    docs = {d.id for d in pack.documents}
    out: list[CoverageRow] = []
    for row in digest:
        mine = [c for c in row.cites if c.document in docs]
        if not mine:
            continue
        pairs = tuple((c, tuple(r for r in pack.rules if cites_match(c, r.citation))) for c in mine)
        gone = tuple(
            (c, tuple((r, why) for r, why in pack.retired if cites_match(c, r.citation)))
            for c in mine
        )
        out.append(CoverageRow(row, pairs, gone))
    return tuple(out)


def _rule_cell(rule: Rule) -> str:
    return f"`{rule.id}`" + (" (manual)" if rule.manual else "")


def _levels(rules: tuple[Rule, ...]) -> str:
    levels: list[str] = []
    for rule in rules:
        levels.extend(lv for lv in rule.applies_to if lv not in levels)
    return ", ".join(levels)


def render_markdown(pack: Pack, rows: tuple[CoverageRow, ...]) -> str:
    """The coverage table of ``pack`` as Markdown."""
    checked = sum(1 for r in pack.rules if not r.manual)
    manual = len(pack.rules) - checked
    missing = [r for r in rows if not r.covered]
    lines = [
        f"# Coverage of `{pack.id}`",
        "",
        f"{pack.title.vi} / {pack.title.en}" + (" — **DỰ THẢO / DRAFT**" if pack.draft else ""),
        "",
        "Generated by `auditor rules coverage --profile " + pack.id + "`; do not edit by hand.",
        "",
        f"Rules: {len(pack.rules)} ({checked} checked, {manual} manual"
        + (f"; {len(pack.retired)} base rules retired" if pack.retired else "")
        + "). "
        f"Digest rows: {len(rows)}, covered: {len(rows) - len(missing)}"
        + (f", **not covered: {len(missing)}**." if missing else "."),
        "",
        "Documents:",
        "",
    ]
    for doc in pack.documents:
        span = f"{doc.effective_from or '…'} – {doc.effective_to or '…'}"
        draft = " (dự thảo / draft)" if doc.draft else ""
        lines.append(f"- {doc.id}{draft}: {span}")
    lines += [
        "",
        "## Digest rows → rules",
        "",
        "| source | citation | requirement | levels | rules | covered |",
        "|---|---|---|---|---|---|",
    ]
    for cov in rows:
        cells = []
        gone = dict(cov.retired)
        for cite, rules in cov.cites:
            names = ", ".join(_rule_cell(r) for r in rules)
            if not names and gone.get(cite):
                names = "; ".join(f"`{r.id}` retired: {why}" for r, why in gone[cite])
            cells.append(f"{cite.label()}: {names or '**none**'}")
        req = cov.row.requirement.replace("|", "\\|").replace("\n", " ")
        lines.append(
            f"| {cov.row.source} | {cov.row.ref.replace('|', '/')} | {req} | "
            f"{_levels(cov.rules)} | {'<br>'.join(cells)} | {'yes' if cov.covered else '**NO**'} |"
        )
    lines += [
        "",
        "## Rules by article",
        "",
        "| rule | document | citation | levels | weight | in force | check |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in sorted(pack.rules, key=_article_key):
        info = pack.find_document(rule.citation.document)
        start = rule.effective_from or (info.effective_from if info else None)
        end = rule.effective_to or (info.effective_to if info else None)
        check = "manual" if rule.manual else _check_names(rule)
        lines.append(
            f"| `{rule.id}` | {rule.citation.document} | {rule.citation.label('vi')} | "
            f"{', '.join(rule.applies_to)} | {rule.weight:g} | {start or '…'} – {end or '…'} | "
            f"{check} |"
        )
    return "\n".join(lines) + "\n"


def render_csv(rows: tuple[CoverageRow, ...]) -> str:
    """The digest rows → rules as CSV (one line per citation)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["source", "row", "document", "citation", "rules", "manual", "covered"])
    for cov in rows:
        for cite, rules in cov.cites:
            writer.writerow(
                [
                    cov.row.source,
                    cov.row.ref,
                    cite.document,
                    cite.label(),
                    " ".join(r.id for r in rules),
                    " ".join(r.id for r in rules if r.manual),
                    "yes" if rules else "no",
                ]
            )
    return buf.getvalue()


def _article_key(rule: Rule) -> tuple[str, int, str, int, str, str]:
    def num(text: str | None) -> int:
        match = re.match(r"\d+", text or "")
        return int(match.group()) if match else 0

    c = rule.citation
    return (c.document, num(c.article), c.article, num(c.clause), c.point or "", rule.id)


def _check_names(rule: Rule) -> str:
    from auditor.rules.checktree import CheckCall, CheckNode, NotOf

    names: list[str] = []

    def walk(node: CheckNode) -> None:
        if isinstance(node, CheckCall):
            if node.name not in names:
                names.append(node.name)
        elif isinstance(node, NotOf):
            walk(node.item)
        else:
            for child in node.items:
                walk(child)

    if rule.check is not None:
        walk(rule.check)
    return ", ".join(f"`{n}`" for n in names)
