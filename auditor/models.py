"""Frozen data models shared across modules: agencies, page snapshots, outcomes, reports.

The JSON report (:class:`AuditReport`) is the contract between the scan and every renderer.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Level = Literal["province", "department", "district", "commune", "unit", "thematic", "other"]
LEVELS: tuple[Level, ...] = (
    "province",
    "department",
    "district",
    "commune",
    "unit",
    "thematic",
    "other",
)
Status = Literal["pass", "fail", "warn", "not_applicable", "manual", "error"]
STATUSES: tuple[Status, ...] = ("pass", "fail", "warn", "not_applicable", "manual", "error")
Severity = Literal["critical", "high", "medium", "low", "info"]
Lang = Literal["vi", "en"]


class Frozen(BaseModel):
    """Base for every model that crosses a module boundary: immutable, no unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class LocalText(Frozen):
    """A text in Vietnamese (first) and English."""

    vi: str
    en: str

    def get(self, lang: Lang) -> str:
        """Return the text in ``lang``, falling back to Vietnamese."""
        return self.en if lang == "en" and self.en else self.vi


def t(vi: str, en: str) -> LocalText:
    """Shorthand for a bilingual text."""
    return LocalText(vi=vi, en=en)


# --- agencies and registries -------------------------------------------------------------


class Agency(Frozen):
    """A state agency whose portal is audited."""

    name: str
    level: Level
    domain: str
    parent: str | None = None  # the parent agency's domain
    # a path-based agency lives under a path of another agency's host (Lâm Đồng's departments at
    # ``lamdong.gov.vn/sites/stp/``): the URL path prefix, starting and ending with "/"
    path: str | None = None
    # facts inferred from the domain because no registry or flag declared them; checks that
    # need a guessed fact say ``manual`` rather than judge on a guess
    guessed: tuple[Literal["name", "level"], ...] = ()

    @property
    def key(self) -> str:
        """The agency's identity in a scan: its host (without ``www.``) and path prefix."""
        return address_key(self.address)

    @property
    def address(self) -> str:
        """The host and path prefix as people write it (``lamdong.gov.vn/sites/stp/``)."""
        return self.domain + (self.path or "")


class Registry(Frozen):
    """A province's list of agencies."""

    province: str
    profile: str | None = None
    note: str | None = None  # e.g. that the list holds only the examples a regulation names
    agencies: tuple[Agency, ...]
    # where the list was read from (set by the loader, not the file): the file given with
    # --registry, or "bundled:<name>.yaml" for a registry shipped with the tool
    source: str | None = None

    def by_domain(self, domain: str) -> Agency | None:
        """The agency registered on ``domain``'s root (case-insensitive, ``www.`` ignored)."""
        return self.find(domain, None)

    def find(self, domain: str, path: str | None) -> Agency | None:
        """The agency on ``domain`` whose path prefix is the longest one holding ``path``
        (a URL path); with ``path`` ``None`` only the agency at the host's root."""
        key = normalise_host(domain)
        wanted = (path or "").casefold()
        best: Agency | None = None
        for agency in self.agencies:
            if normalise_host(agency.domain) != key:
                continue
            prefix = (agency.path or "").casefold()
            if path is None and prefix:
                continue
            if wanted.startswith(prefix) and (best is None or len(prefix) > len(best.path or "")):
                best = agency
        return best

    def children_of(self, domain: str) -> tuple[Agency, ...]:
        """Agencies whose ``parent`` is ``domain`` (an agency's address: a host, or a host and
        path prefix for a path-based agency)."""
        key = address_key(domain)
        return tuple(
            a for a in self.agencies if a.parent is not None and address_key(a.parent) == key
        )


def address_key(address: str) -> str:
    """An agency address (``host`` or ``host/path/``) as compared for identity: the host
    normalised (:func:`normalise_host`), the path case-folded (portal servers ignore case)."""
    host, slash, path = address.partition("/")
    return normalise_host(host) + (slash + path).casefold()


def normalise_host(host: str) -> str:
    """Lower-case a host name and drop a leading ``www.`` and trailing dot."""
    host = host.strip().lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


# --- crawl results -------------------------------------------------------------------------


class RedirectHop(Frozen):
    """One response in a redirect chain."""

    url: str
    status: int
    location: str | None = None


class PageSnapshot(Frozen):
    """One fetched resource, as the crawler saw it."""

    url: str
    final_url: str
    status: int  # 0 when no HTTP response was received
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    declared_encoding: str | None = None  # charset from the Content-Type header
    meta_encoding: str | None = None  # charset from <meta charset> / http-equiv
    detected_encoding: str | None = None  # what the bytes decode as
    elapsed_s: float = 0.0
    depth: int = 0
    redirects: tuple[RedirectHop, ...] = ()
    truncated: bool = False  # body cut at the byte cap
    error: str | None = None  # transport error when status == 0
    off_scope: str | None = None  # a redirect target not followed: outside the audit's scope
    # (offset, length) of the body in the capture's spool file while the capture is in flight
    # (``body`` is empty until :func:`auditor.capture.spool.unspooled` puts it back)
    spooled: tuple[int, int] | None = None

    def header(self, name: str) -> str | None:
        """First value of header ``name`` (case-insensitive), or ``None``."""
        low = name.lower()
        for key, value in self.headers:
            if key.lower() == low:
                return value
        return None

    @property
    def content_type(self) -> str:
        """Media type without parameters, lower-case ('' when absent)."""
        value = self.header("content-type") or ""
        return value.split(";", 1)[0].strip().lower()

    @property
    def is_html(self) -> bool:
        """Whether this is a successfully fetched HTML page."""
        return self.status == 200 and self.content_type in ("text/html", "application/xhtml+xml")

    @property
    def why_not_seen(self) -> str:
        """Why this fetch gave no page to judge, for evidence: the error (transport, or the
        page's :attr:`~auditor.page.Page.problem`), a redirect out of the scope, or the
        HTTP status."""
        if self.error:
            return self.error
        if self.off_scope:
            return f"redirects to {self.off_scope} (outside the audit's scope: not followed)"
        return f"HTTP {self.status}" if self.status else "no answer"


class TlsFacts(Frozen):
    """What the TLS handshake showed."""

    version: str | None = None  # e.g. "TLSv1.3"
    cert_subject: str | None = None
    cert_issuer: str | None = None
    cert_not_before: datetime | None = None
    cert_not_after: datetime | None = None
    cert_names: tuple[str, ...] = ()


# and every 5xx. 401/403: access refused to our requests (a firewall that blocks the audit's
# user agent, a login wall) says nothing of what a visitor sees; 408/429: passing states.
NOT_OBSERVED_STATUSES = frozenset({401, 403, 408, 429})


def status_observed(status: int) -> bool:
    """Whether an HTTP status says something about the resource (200, 404, 410…) rather than
    about the server's passing state or its stance towards us: no answer (0), 401, 403, 408,
    429 and any 5xx, still there after the retries, are "not observed" and never the evidence
    of a ``fail``."""
    return 0 < status < 500 and status not in NOT_OBSERVED_STATUSES


def status_broken(status: int) -> bool:
    """Whether an HTTP status shows a broken resource (404, 410, 403…): an observed 4xx."""
    return status >= 400 and status_observed(status)


class TransportProbe(Frozen):
    """A request to a site's root over one scheme, following redirects."""

    url: str
    ok: bool  # an HTTP response was received
    status: int = 0
    final_url: str | None = None
    redirects: tuple[RedirectHop, ...] = ()
    error: str | None = None  # e.g. "tls: certificate has expired"
    # tls: certificate or handshake rejected; refused: nothing listens on the port; connect:
    # connection failed or lost (reset, cut handshake, name not resolved); timeout; protocol
    # (no valid HTTP exchange, redirect loop); other (not requested: scope, robots.txt)
    error_kind: Literal["tls", "refused", "connect", "timeout", "protocol", "other"] | None = None
    tls: TlsFacts | None = None
    hsts: str | None = None  # Strict-Transport-Security value on the final response
    off_scope: str | None = None  # a redirect target not followed: outside the audit's scope


# Transport failures that are themselves facts about the server: the port refused the
# connection, or the server's certificate / TLS handshake was rejected (expired, another
# name, untrusted issuer, plain HTTP or no common protocol on the TLS port).
DEFINITE_ERRORS = frozenset({"refused", "tls"})


def probe_observed(probe: TransportProbe) -> bool:
    """Whether a probe's outcome is evidence about how the server answers on that scheme —
    the one classification of every transport outcome the HTTP/HTTPS checks read.

    Observed (may support a ``pass`` or a ``fail``): an HTTP answer whose status is observed
    (:func:`status_observed`: 2xx, 3xx, 404, 410…), a refused connection, a rejected
    certificate or handshake. Not observed (``error``, never the evidence of a ``fail``): a
    connection reset or closed during the handshake, a timeout, a name that did not resolve,
    an invalid HTTP exchange or redirect loop, a request not made (scope, robots.txt, a
    non-public address), and 401/403/408/429/5xx still there after the retries."""
    if probe.ok:
        return status_observed(probe.status)
    return probe.error_kind in DEFINITE_ERRORS


class DnsFacts(Frozen):
    """What DNS said about a host. An ``*_error`` says that part could not be told
    ("timeout: …", "nxdomain: …", "servfail: …"); ``error`` that nothing was looked up."""

    host: str
    server: str | None = None  # "ADDR:PORT" asked; None: the system's resolvers
    a: tuple[str, ...] = ()
    aaaa: tuple[str, ...] = ()
    a_error: str | None = None
    aaaa_error: str | None = None
    ds: bool = False  # a DS record at the host's own name (the apex of a signed zone)
    ds_zone: str | None = None  # where the DS was found (the host)
    rrsig: bool = False  # the address answers carried RRSIG records (DO bit set)
    dnssec_error: str | None = None
    error: str | None = None


class RobotsInfo(Frozen):
    """robots.txt as fetched."""

    url: str
    status: int
    text: str = ""
    sitemaps: tuple[str, ...] = ()
    # how the crawl used it: "allow" (no robots.txt), "rules", "disallow" (unreachable or 5xx,
    # RFC 9309 §2.3.1.4), "ignored" (--ignore-robots)
    policy: Literal["allow", "rules", "disallow", "ignored"] = "rules"
    error: str | None = None  # why it could not be read, when it could not


# --- outcomes and findings -----------------------------------------------------------------


class Evidence(Frozen):
    """One observation supporting an outcome."""

    detail: LocalText
    url: str | None = None
    expected: str | None = None
    found: str | None = None
    snippet: str | None = None


class Outcome(Frozen):
    """Result of a check: a status and the evidence behind it."""

    status: Status
    evidence: tuple[Evidence, ...] = ()


def annex_name(article: str) -> str | None:
    """``article`` normalised as 'Phụ lục II' when it names an appendix, else ``None``."""
    words = article.split()
    if len(words) >= 2 and " ".join(words[:2]).lower() in ("phụ lục", "phu luc"):
        return " ".join(["Phụ lục", *words[2:]])
    if words and words[0].lower() in ("annex", "appendix", "pl"):
        return " ".join(["Phụ lục", *words[1:]])
    return None


class Citation(Frozen):
    """Where a requirement is written: document, Điều, khoản, điểm."""

    document: str
    article: str
    clause: str | None = None
    point: str | None = None

    def label(self, lang: Lang = "vi") -> str:
        """Human label, e.g. 'Điều 5 khoản 1 điểm a' or 'Art. 5(1)(a)'; an appendix keeps its
        own name ('Phụ lục II', 'Annex II')."""
        annex = annex_name(self.article)
        if annex is not None:
            rest = annex.removeprefix("Phụ lục").strip()
            out = annex if lang == "vi" else f"Annex {rest}".strip()
            if self.clause:
                out += f" mục {self.clause}" if lang == "vi" else f", item {self.clause}"
            return out
        if lang == "en":
            out = f"Art. {self.article}"
            if self.clause:
                out += f"({self.clause})"
            if self.point:
                out += f"({self.point})"
            return out
        out = f"Điều {self.article}"
        if self.clause:
            out += f" khoản {self.clause}"
        if self.point:
            out += f" điểm {self.point}"
        return out


class Waiver(Frozen):
    """A "comply or explain" exemption: rule ``rule`` on ``domain`` (``*``: every portal) is
    accepted as failing for ``reason``, approved by ``approved_by``, until ``expires``
    (inclusive). An expired waiver stays on the finding as a note but is ignored."""

    rule: str
    domain: str
    reason: str
    approved_by: str
    expires: date
    expired: bool = False  # past ``expires`` on the audit date


class Finding(Frozen):
    """One rule's outcome for one agency."""

    rule_id: str
    title: LocalText
    failure: LocalText
    category: str
    severity: Severity
    weight: float
    status: Status
    citation: Citation
    evidence: tuple[Evidence, ...] = ()
    fix: LocalText | None = None  # how to comply, from the rule
    # a waiver matching this failure or warning; ``status`` stays the rule's own outcome
    waiver: Waiver | None = None

    @property
    def waived(self) -> bool:
        """Whether a waiver in force covers this finding (it then leaves the score)."""
        return self.waiver is not None and not self.waiver.expired


# --- scores and reports --------------------------------------------------------------------


class CategoryScore(Frozen):
    """Score of one category of rules."""

    label: LocalText
    score: float | None  # 0–100; None when nothing in the category was scorable
    weight: float  # sum of the weights that counted
    counts: dict[str, int] = Field(default_factory=dict)  # status -> number of findings


class GradeCapApplied(Frozen):
    """A pack's grade cap that held for this report: the grade could be at most ``grade``."""

    grade: str
    reason: LocalText  # with its citation, e.g. "no working HTTPS (TT 32/2017 Art. 20)"
    rules: tuple[str, ...]  # the failing rules that triggered it


class Score(Frozen):
    """The total score, grade and per-category breakdown."""

    total: float | None
    grade: str | None
    by_category: dict[str, CategoryScore]
    counts: dict[str, int]  # status -> number of findings
    errors: int
    # share (0–100) of the applicable weight that could be judged; below MIN_COVERAGE the total
    # and grade are withheld, because errors (what the auditor could not see) would decide them
    coverage: float | None = None
    # grade caps that held: a failure so grave that the total's grade cannot stand above it
    caps: tuple[GradeCapApplied, ...] = ()


class ToolInfo(Frozen):
    """Which tool wrote the report."""

    name: str = "auditor"
    version: str


class DocumentInfo(Frozen):
    """A legal document applied in an audit."""

    id: str
    title: LocalText
    draft: bool = False
    effective_from: date | None = None
    effective_to: date | None = None


class ProfileInfo(Frozen):
    """The rule pack used."""

    id: str
    document: str
    title: LocalText
    draft: bool = False
    documents: tuple[DocumentInfo, ...] = ()  # documents whose rules were applied


class CrawlInfo(Frozen):
    """Summary of the crawl of one portal."""

    start_url: str
    final_url: str | None
    pages_fetched: int
    pages_failed: int
    duration_s: float
    robots_txt: str | None = None  # URL of robots.txt when one was found
    https: TransportProbe | None = None
    http: TransportProbe | None = None
    # robots.txt: "rules" (obeyed), "allow" (none), "disallow" (unreachable or 5xx: nothing
    # crawled, RFC 9309 §2.3.1.4), "ignored" (--ignore-robots, under the inspectorate's mandate)
    robots_policy: Literal["allow", "rules", "disallow", "ignored"] | None = None
    robots_error: str | None = None  # why robots.txt could not be read
    retries: int = 0  # requests repeated after a transient answer (408/429/5xx, reset, timeout)
    off_scope: str | None = None  # where the root redirects, when that is outside the scope
    timed_out: bool = False  # the --portal-timeout ended the crawl; what was gathered is judged
    # the registry that supplied the agency facts (name, level, parent, children): the file given
    # with --registry, or "bundled:<name>.yaml"; None when no registry listed the agency
    registry: str | None = None


class RunStamp(Frozen):
    """The run that wrote a report, and what makes two runs comparable (resume, merge, diff):
    the rule packs as loaded and the settings that can change a verdict (with the audit date,
    kept beside it as ``as_of``)."""

    run_id: str
    settings_digest: str  # sha256 of the verdict-changing crawl settings and the waivers
    packs: dict[str, str] = Field(default_factory=dict)  # pack id -> sha256 of the pack
    shard: str | None = None  # "K/N" when the run audited one slice of the registry


class TrendPoint(Frozen):
    """One earlier run's result, for the score-over-time chart (from the history database)."""

    run_id: str
    as_of: date
    finished_at: datetime
    score: float | None
    grade: str | None = None


class CaptureRef(Frozen):
    """The saved site capture a report was judged from (``--save-capture``, ``auditor audit``)."""

    file: str  # file name, relative to the report's folder when saved beside it
    sha256: str  # of the file's bytes
    captured_at: datetime | None = None


class AuditReport(Frozen):
    """Everything known about one agency's audit: the JSON report."""

    schema_version: str = SCHEMA_VERSION
    tool: ToolInfo
    agency: Agency
    profile: ProfileInfo
    as_of: date
    started_at: datetime
    finished_at: datetime
    crawl: CrawlInfo
    score: Score
    findings: tuple[Finding, ...]
    capture: CaptureRef | None = None  # the capture file, when one was saved or judged
    run: RunStamp | None = None
    trend: tuple[TrendPoint, ...] = ()  # this agency's earlier runs, oldest first


class SummaryRow(Frozen):
    """One agency's line in a province summary."""

    agency: Agency
    report_json: str | None  # file name relative to the output folder
    report_html: str | None
    score: float | None
    grade: str | None
    counts: dict[str, int]
    statuses: dict[str, Status]  # article label -> worst status, for the compliance grid


class Interruption(Frozen):
    """A scan stopped by a signal: only ``finished`` of the ``planned`` portals were audited."""

    signal: Literal["SIGINT", "SIGTERM"]
    finished: int = Field(ge=0)
    planned: int = Field(ge=0)


class ScanSummary(Frozen):
    """The summary of a scan of several agencies (summary.json)."""

    schema_version: str = SCHEMA_VERSION
    tool: ToolInfo
    province: str | None
    profile: str
    as_of: date
    started_at: datetime
    finished_at: datetime
    agencies: tuple[SummaryRow, ...]
    interrupted: Interruption | None = None  # the scan was stopped before every portal was done
    run: RunStamp | None = None
    trend: tuple[TrendPoint, ...] = ()  # earlier runs' mean score, oldest first
