"""Domain names of state portals (Sóc Trăng QĐ 07/2019 Điều 5 khoản 1; NĐ 43/2011 Điều 6).

Each province names its portals by its own scheme: which level sits at which depth under the
province's zone (``soctrang.gov.vn``), under the zone or under the parent agency's domain, and
how the label is derived from the agency's name. A scheme is data (:data:`SCHEMES`); the
primitive ``domain_name`` judges the registered domain of ``art.agency`` against it.

Hosts are split with ``publicsuffixlist`` on the Public Suffix List snapshot it ships (ICANN
section; no network, no cache on disk): ``gov.vn`` is the public suffix, ``soctrang`` the
registered label.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal

from pydantic import field_validator

from auditor.artifacts import Artifacts
from auditor.checks.registry import Params, check
from auditor.models import Agency, Evidence, Level, Outcome, Status, normalise_host, t
from auditor.text.fold import fold_words
from auditor.text.names import (
    expected_labels,
    is_abbreviation,
    is_plausible_label,
    letter_initials,
    named_labels,
    strip_level_words,
)

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

logger = logging.getLogger(__name__)

LabelRule = Literal["zone", "initials", "place", "named", "free"]


@dataclass(frozen=True)
class Placement:
    """Where a level's portal sits and how its label is judged.

    ``depth`` counts every label (``soctrang.gov.vn`` is 3); ``under`` says whether the host is
    directly under the zone or under the parent agency's domain; ``label`` is ``zone`` (the
    host is the zone itself), ``initials``/``place`` (derived from the name, see
    :func:`auditor.text.names.expected_labels`), ``named`` (the abbreviation or the full name,
    any abbreviation that covers the whole name passes: Quảng Ninh's ``sttvtt``) or ``free``
    (the text fixes the position only). ``english`` says the text also allows an English name:
    a label that spells nothing of the Vietnamese name is then for a human to judge (``manual``),
    not a failure. ``advisory`` rules only encourage: what would fail is a warning.
    """

    depth: int
    under: Literal["zone", "parent"]
    label: LabelRule
    advisory: bool = False
    english: bool = False
    parent_levels: tuple[Level, ...] = ()  # levels the parent is expected to have


@dataclass(frozen=True)
class Scheme:
    """A province's naming scheme: a placement per level and named exceptions."""

    name: str
    document: str
    levels: Mapping[Level, Placement]
    # folded agency name → the labels the text grants it instead of the derived ones
    exceptions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # folded agency name → English labels the text itself gives as examples (accepted too)
    english: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # levels the text abolished or sets no form for, with why there is no rule (vi, en)
    retired: Mapping[Level, tuple[str, str]] = field(default_factory=dict)


SOCTRANG_2019 = Scheme(
    name="soctrang-2019",
    document="QĐ 07/2019/QĐ-UBND Điều 5 khoản 1",
    levels={
        "province": Placement(depth=3, under="zone", label="zone"),  # điểm a
        "department": Placement(depth=4, under="zone", label="initials"),  # điểm b
        "district": Placement(depth=4, under="zone", label="place"),  # điểm c
        "commune": Placement(
            depth=5, under="parent", label="place", parent_levels=("district",)
        ),  # điểm d
        "unit": Placement(
            depth=5, under="parent", label="free", parent_levels=("department", "district")
        ),  # điểm đ
        "other": Placement(depth=4, under="zone", label="free", advisory=True),  # điểm e
        "thematic": Placement(depth=4, under="zone", label="free", advisory=True),  # điểm e
    },
    # "Riêng thành phố Sóc Trăng là thanhpho.soctrang.gov.vn vì tên thành phố giống tên tỉnh."
    exceptions={"thanh pho soc trang": ("thanhpho",), "tp soc trang": ("thanhpho",)},
)

_NO_DISTRICTS = (
    "Từ 01/7/2025 không còn cấp huyện: cơ quan cấp huyện không có tên miền theo quy định; "
    "trang của xã, phường, đặc khu nằm ở cấp 4 ngay dưới tên miền tỉnh.",
    "Since 1 July 2025 there is no district level: a district has no domain rule; communes, "
    "wards and special zones sit at the 4th level directly under the province's name.",
)

LAMDONG_2025 = Scheme(
    name="lamdong-2025",
    document="QĐ 2111/QĐ-UBND 2025 Lâm Đồng Điều 4 khoản 2",
    levels={
        "province": Placement(depth=3, under="zone", label="zone"),  # điểm a: lamdong.gov.vn
        # điểm b: tencoquan.lamdong.gov.vn, abbreviation or full name, unaccented, or English
        "department": Placement(depth=4, under="zone", label="named", english=True),
        # điểm c: tenxa/phuong/dackhu.lamdong.gov.vn, full unaccented name
        "commune": Placement(depth=4, under="zone", label="place"),
    },
    retired={"district": _NO_DISTRICTS},
)

_NO_COMPONENT_FORM = (
    "Dự thảo (Điều 2 khoản 2) chỉ quy định tên miền của Cổng tỉnh (tuyenquang.gov.vn); Điều 2 "
    "khoản 1 liệt kê trang của sở, ngành, xã, phường nhưng không quy định dạng tên miền cho chúng.",
    "The draft (Article 2(2)) sets only the provincial portal's name (tuyenquang.gov.vn); Article "
    "2(1) lists the sites of departments, communes and wards but sets no naming form for them.",
)

# The draft's Điều 2 khoản 2 names the provincial portal only (tuyenquang.gov.vn, cấp 3, and the
# ".vn" + IPv6 rule); no form is invented for the component sites of Điều 2 khoản 1.
TUYENQUANG_2026 = Scheme(
    name="tuyenquang-2026",
    document="Dự thảo QĐ 2026 Tuyên Quang Điều 2 khoản 2",
    levels={"province": Placement(depth=3, under="zone", label="zone")},
    retired={
        "district": _NO_DISTRICTS,
        **{level: _NO_COMPONENT_FORM for level in ("department", "commune", "unit", "other")},
    },
)

QUANGNINH_2023 = Scheme(
    name="quangninh-2023",
    document="QĐ 05/2023/QĐ-UBND Quảng Ninh Điều 2, Điều 4",
    levels={
        # Điều 2: www.quangninh.gov.vn (a www. name is the zone itself)
        "province": Placement(depth=3, under="zone", label="zone"),
        # Điều 4 k1: sttvtt, ttt, ipa — abbreviation, unaccented, or English
        "department": Placement(depth=4, under="zone", label="named", english=True),
        # Điều 4 k2: campha.quangninh.gov.vn
        "district": Placement(depth=4, under="zone", label="place"),
        # Điều 4 k3: quangtrung.uongbi.quangninh.gov.vn
        "commune": Placement(depth=5, under="parent", label="place", parent_levels=("district",)),
        # Điều 4 k4: dulich.quangninh.gov.vn, the site's name unaccented
        "thematic": Placement(depth=4, under="zone", label="named"),
    },
    english={"ban xuc tien va ho tro dau tu": ("ipa",)},  # Investment Promotion Agency
)

SCHEMES: dict[str, Scheme] = {
    s.name: s for s in (SOCTRANG_2019, LAMDONG_2025, TUYENQUANG_2026, QUANGNINH_2023)
}


class DomainParams(Params):
    """The province's zone (``soctrang.gov.vn``) and naming scheme (a key of SCHEMES)."""

    zone: str
    scheme: str

    @field_validator("scheme")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if value not in SCHEMES:
            raise ValueError(f"unknown domain scheme {value!r} (known: {', '.join(SCHEMES)})")
        return value

    @field_validator("zone")
    @classmethod
    def _host(cls, value: str) -> str:
        host = normalise_host(value)
        if not host or "." not in host or "/" in host:
            raise ValueError(f"not a domain name: {value!r}")
        return host


@cache
def _suffixes() -> PublicSuffixList:
    """The Public Suffix List's ICANN section, as publicsuffixlist ships it (private suffixes
    such as ``blogspot.com`` are registered domains here, not suffixes). Imported when a host
    is first split: the scan process never splits one."""
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList(only_icann=True)


@dataclass(frozen=True)
class HostParts:
    """A host split at its public suffix."""

    host: str
    subdomain: str  # "ict.sotttt"
    domain: str  # "soctrang"
    suffix: str  # "gov.vn"

    @property
    def registered(self) -> str:
        """The registered domain (``soctrang.gov.vn``), '' when there is none."""
        return f"{self.domain}.{self.suffix}" if self.domain and self.suffix else ""

    @property
    def depth(self) -> int:
        """Number of labels, e.g. 5 for ``ict.sotttt.soctrang.gov.vn``."""
        return len(self.host.split("."))


def split_host(host: str) -> HostParts:
    """Split ``host`` at its public suffix using the bundled Public Suffix List."""
    host = normalise_host(host)
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:  # an address has no suffix: it is its own domain
        return HostParts(host=host, subdomain="", domain=host, suffix="")
    suffix = _suffixes().publicsuffix(host, accept_unknown=False) or ""
    rest = host[: -len(suffix)].rstrip(".") if suffix else host  # under no known suffix: all
    subdomain, _, domain = rest.rpartition(".")
    return HostParts(host=host, subdomain=subdomain, domain=domain, suffix=suffix)


# --- judging --------------------------------------------------------------------------------


@dataclass
class _Verdict:
    """Findings collected while judging one host."""

    host: str
    expected: list[str] = field(default_factory=list)
    problems: list[tuple[Status, Evidence]] = field(default_factory=list)
    notes: list[Evidence] = field(default_factory=list)

    def add(self, status: Status, vi: str, en: str) -> None:
        self.problems.append((status, Evidence(detail=t(vi, en), found=self.host)))

    def note(self, vi: str, en: str) -> None:
        self.notes.append(Evidence(detail=t(vi, en), found=self.host))


def _label_problems(labels: list[str]) -> list[str]:
    """Labels that are accented (not ASCII) or punycode (``xn--``)."""
    return [lab for lab in labels if not lab.isascii() or lab.startswith("xn--")]


def _shown(label: str) -> str:
    """A punycode label with its Unicode reading, e.g. 'xn--sc-trng (sóc trăng)'."""
    if label.startswith("xn--"):
        try:
            return f"{label} ({label.encode('ascii').decode('idna')})"
        except UnicodeError:
            return label
    return label


def _accepted(agency: Agency, scheme: Scheme, rule: Placement | None = None) -> tuple[str, ...]:
    """The labels the scheme accepts for the agency's name, most expected first."""
    key = fold_words(agency.name)
    granted = scheme.exceptions.get(key)
    if granted:
        return granted
    if rule is not None and rule.label == "named":
        derived = named_labels(agency.name, agency.level)
    else:
        derived = expected_labels(agency.name, agency.level)
    return tuple(dict.fromkeys(derived + scheme.english.get(key, ())))


def _judge_label(v: _Verdict, label: str, agency: Agency, rule: Placement, scheme: Scheme) -> str:
    """Judge the agency's own label; returns the label to put in the expected host."""
    if rule.label in ("zone", "free"):
        return label
    accepted = _accepted(agency, scheme, rule)
    if not accepted:
        v.note(
            "Không suy ra được nhãn từ tên cơ quan; nhãn không được kiểm tra.",
            "No label could be derived from the agency's name; the label was not checked.",
        )
        return label
    if label in accepted:
        return label
    if rule.label == "named" and is_abbreviation(label, agency.name, agency.level):
        return label
    if rule.label == "initials" and label in letter_initials(
        strip_level_words(agency.name, agency.level)
    ):
        return label  # the first letter of every word ("stttt") is initials too
    rule_vi, rule_en = _RULE_WORDS[rule.label]
    want = ", ".join(accepted)
    if label in _accepted_spellings(agency) or is_plausible_label(label, agency.name, agency.level):
        v.add(
            "warn",
            f"Nhãn '{label}' là một cách viết tên cơ quan nhưng không theo dạng "
            f"{scheme.document} quy định ({rule_vi}, không dấu), như '{want}'.",
            f"The label '{label}' spells the agency's name, but not in the form "
            f"{_english(scheme.document)} sets ({rule_en}, unaccented), such as '{want}'.",
        )
    elif rule.english:
        v.add(
            "manual",
            f"Nhãn '{label}' không phải tên tiếng Việt không dấu hay tên viết tắt của "
            f"'{agency.name}' (như '{want}'); quy định cho phép tên tiếng Anh: cần người kiểm "
            "tra xem đó có phải tên tiếng Anh của cơ quan không.",
            f"The label '{label}' is neither the unaccented Vietnamese name nor an abbreviation "
            f"of '{agency.name}' (such as '{want}'); the rule allows an English name: a human "
            "should check whether it is the agency's English name.",
        )
    else:
        v.add(
            "fail",
            f"Nhãn '{label}' không tương ứng với tên cơ quan '{agency.name}' ({rule_vi}, "
            f"không dấu): phải là '{want}'.",
            f"The label '{label}' does not match the agency's name '{agency.name}' ({rule_en}, "
            f"unaccented): expected '{want}'.",
        )
    return accepted[0]


_RULE_WORDS: dict[LabelRule, tuple[str, str]] = {
    "initials": ("chữ cái đầu của tên cơ quan", "the initials of the agency's name"),
    "place": ("tên địa phương", "the place name"),
    "named": ("tên viết tắt hoặc tên đầy đủ", "the abbreviation or the full name"),
    "zone": ("tên tỉnh", "the province's name"),
    "free": ("tên tự chọn", "a free name"),
}


def _accepted_spellings(agency: Agency) -> tuple[str, ...]:
    """Labels derived by the other levels' rules (a place name spelt as initials…)."""
    out: list[str] = []
    levels: tuple[Level, ...] = ("department", "district", "unit", "other")
    for level in levels:
        out.extend(expected_labels(agency.name, level))
    return tuple(out)


def _parent_domain(art: Artifacts, v: _Verdict, rule: Placement) -> str | None:
    """The parent agency's domain, or ``None`` (with a note) when it is unknown."""
    agency = art.agency
    if agency.parent is None:
        v.note(
            "Chưa biết cơ quan cấp trên (không có trong danh sách): chưa kiểm tra tên miền "
            "có nằm dưới tên miền cơ quan cấp trên hay không.",
            "The parent agency is unknown (not in a registry): whether the domain sits under "
            "the parent's domain was not checked.",
        )
        return None
    parent = normalise_host(agency.parent)
    if art.registry is not None and rule.parent_levels:
        registered = art.registry.by_domain(parent)
        if registered is not None and registered.level not in rule.parent_levels:
            v.note(
                f"Cơ quan cấp trên {parent} có cấp '{registered.level}', không phải "
                f"{' / '.join(rule.parent_levels)} như quy định giả định.",
                f"The parent {parent} has level '{registered.level}', not "
                f"{' / '.join(rule.parent_levels)} as the rule assumes.",
            )
    return parent


def _judge(art: Artifacts, p: DomainParams, scheme: Scheme, rule: Placement) -> _Verdict:
    agency = art.agency
    parts = split_host(agency.domain)
    host, zone = parts.host, p.zone
    v = _Verdict(host=host)
    labels = host.split(".")
    own = labels[0]
    in_zone = host == zone or host.endswith("." + zone)

    bad = _label_problems(labels)
    if bad:
        v.add(
            "fail",
            "Tên miền phải là tiếng Việt không dấu; nhãn có dấu hoặc dạng punycode: "
            + ", ".join(_shown(b) for b in bad)
            + ".",
            "Domain labels must be unaccented; accented or punycode labels: "
            + ", ".join(_shown(b) for b in bad)
            + ".",
        )

    if not in_zone:
        suffix = parts.suffix or "?"
        v.add(
            "fail",
            f"Tên miền {host} không thuộc {zone} (hậu tố công cộng: {suffix}).",
            f"The domain {host} is not under {zone} (public suffix: {suffix}).",
        )

    if "level" in agency.guessed:
        v.note(
            "Cấp của cơ quan được đoán từ tên miền (không có trong danh sách): vị trí tên miền "
            "cần người kiểm tra xem xét; dùng --registry hoặc --level.",
            "The agency's level was guessed from its domain (not in a registry): its position "
            "needs a human check; use --registry or --level.",
        )
        v.expected.append(host if in_zone else zone)
        return v

    judge_name = "name" not in agency.guessed
    if rule.label == "zone":
        if host != zone:
            v.add(
                "fail",
                f"Cổng thông tin cấp tỉnh phải dùng tên miền cấp 3 {zone}, không phải {host}.",
                f"The provincial portal must be the 3rd-level name {zone}, not {host}.",
            )
        v.expected.append(zone)
        return v

    if own in bad:  # already failed: propose the derived label without judging this one
        derived = _accepted(agency, scheme, rule) if judge_name and rule.label != "free" else ()
        label = derived[0] if derived else own
    elif judge_name:
        label = _judge_label(v, own, agency, rule, scheme)
    else:
        label = own
    if not judge_name and rule.label != "free":
        v.note(
            "Chưa biết tên cơ quan (không có trong danh sách): nhãn tên miền chưa được kiểm tra; "
            "dùng --registry hoặc --name.",
            "The agency's name is unknown (not in a registry): the label was not checked; "
            "use --registry or --name.",
        )

    if rule.under == "zone":
        expected = f"{label}.{zone}"
        if in_zone and parts.depth != rule.depth:
            v.add(
                "fail",
                f"Tên miền {host} là cấp {parts.depth}; quy định là cấp {rule.depth} "
                f"ngay dưới {zone}.",
                f"The domain {host} is at level {parts.depth}; the rule is level {rule.depth} "
                f"directly under {zone}.",
            )
        v.expected.append(expected)
        return v

    parent = _parent_domain(art, v, rule)
    if parent is None:
        if in_zone and parts.depth != rule.depth:
            v.add(
                "fail",
                f"Tên miền {host} là cấp {parts.depth}; quy định là cấp {rule.depth}.",
                f"The domain {host} is at level {parts.depth}; the rule is level {rule.depth}.",
            )
        v.expected.append(f"{label}.*.{zone}")
        return v
    expected = f"{label}.{parent}"
    v.expected.append(expected)
    if host.endswith("." + parent) and len(labels) == len(parent.split(".")) + 1:
        if parts.depth != rule.depth:
            v.note(
                f"Tên miền nằm ngay dưới cơ quan cấp trên {parent} nhưng là cấp {parts.depth} "
                f"(quy định cấp {rule.depth}): tên miền của cơ quan cấp trên cần xem lại.",
                f"The domain sits directly under its parent {parent} but at level {parts.depth} "
                f"(the rule says {rule.depth}): the parent's own domain needs a look.",
            )
        return v
    v.add(
        "fail",
        f"Tên miền {host} không nằm ngay dưới tên miền của cơ quan cấp trên {parent}: "
        f"quy định là tên miền cấp {rule.depth} dạng {expected}.",
        f"The domain {host} is not directly under its parent's domain {parent}: the rule is "
        f"a level-{rule.depth} name such as {expected}.",
    )
    return v


# the agency levels as the evidence names them (checks sit below the report's own labels)
_LEVEL_NAMES: dict[Level, tuple[str, str]] = {
    "province": ("tỉnh (cổng tỉnh)", "the provincial portal"),
    "department": ("sở, ban, ngành", "departments"),
    "district": ("huyện", "districts"),
    "commune": ("xã", "communes"),
    "unit": ("đơn vị trực thuộc", "subordinate units"),
    "thematic": ("chuyên trang", "thematic sites"),
    "other": ("tổ chức khác", "other organisations"),
}


def _english(document: str) -> str:
    """A scheme's citation in English words: 'Điều 5 khoản 1' → 'Art. 5(1)'."""
    text = re.sub(r"Điều (\d+) khoản (\d+)", r"Art. \1(\2)", document)
    text = re.sub(r"Điều (\d+)", r"Art. \1", text)
    return text.replace("Dự thảo", "draft")


def _worst(statuses: list[Status]) -> Status:
    order: tuple[Status, ...] = ("fail", "warn", "manual", "pass")
    for status in order:
        if status in statuses:
            return status
    return "pass"


def _path_based(agency: Agency, host: str, document: str) -> Outcome:
    """A path-based agency (``lamdong.gov.vn/sites/stp/``): the schemes name domains only, and
    no regulation sets a form for paths, so a person judges whether the agency also has the
    domain the rule asks for (it may, redirecting to the path)."""
    return Outcome(
        status="manual",
        evidence=(
            Evidence(
                detail=t(
                    f"Cơ quan đặt tại đường dẫn {agency.path} của {host}, không có tên miền "
                    f"riêng; {document} quy định dạng tên miền cho cấp '{agency.level}' nhưng "
                    "không quy định dạng đường dẫn: cần người kiểm tra xác định cơ quan đã có "
                    "tên miền theo quy định hay chưa.",
                    f"The agency lives at the path {agency.path} of {host}, not on a domain of "
                    f"its own; {document} sets a domain-name form for level '{agency.level}' "
                    "and none for paths: a person checks whether the agency has the domain the "
                    "rule asks for.",
                ),
                found=agency.address,
            ),
        ),
    )


@check("domain_name", params=DomainParams)
def domain_name(art: Artifacts, p: DomainParams) -> Outcome:
    """The agency's domain follows the province's naming scheme: zone, depth, parent, label."""
    scheme = SCHEMES[p.scheme]
    agency = art.agency
    rule = scheme.levels.get(agency.level)
    host = normalise_host(agency.domain)
    retired = scheme.retired.get(agency.level)
    if rule is None and retired is not None:
        return Outcome(
            status="not_applicable",
            evidence=(Evidence(detail=t(*retired), found=host),),
        )
    if rule is None:
        return Outcome(
            status="not_applicable",
            evidence=(
                Evidence(
                    detail=t(
                        f"{scheme.document} không quy định tên miền cho cấp "
                        f"{_LEVEL_NAMES[agency.level][0]}.",
                        f"{_english(scheme.document)} sets no domain rule for "
                        f"{_LEVEL_NAMES[agency.level][1]}.",
                    ),
                    found=host,
                ),
            ),
        )
    if agency.path is not None:
        return _path_based(agency, host, scheme.document)
    v = _judge(art, p, scheme, rule)
    statuses = [status for status, _ in v.problems]
    if rule.advisory:
        statuses = ["warn" if s == "fail" else s for s in statuses]
    if not statuses and (
        "level" in agency.guessed or ("name" in agency.guessed and rule.label != "free")
    ):
        statuses = ["manual"]
    status = _worst(statuses)
    expected = " | ".join(dict.fromkeys(v.expected)) or None
    evidence = [ev.model_copy(update={"expected": expected}) for _, ev in v.problems]
    if not v.problems:
        evidence.append(
            Evidence(
                detail=t(
                    f"Tên miền {host} đúng quy tắc {scheme.document} cho cấp "
                    f"{_LEVEL_NAMES[agency.level][0]}.",
                    f"The domain {host} follows {_english(scheme.document)} for "
                    f"{_LEVEL_NAMES[agency.level][1]}.",
                ),
                found=host,
                expected=expected,
            )
            if status == "pass"
            else Evidence(
                detail=t(
                    "Vị trí tên miền cần người kiểm tra xem xét.",
                    "The domain's position needs a human check.",
                ),
                found=host,
                expected=expected,
            )
        )
    evidence.extend(n.model_copy(update={"expected": expected}) for n in v.notes)
    if status != "pass":
        logger.debug("domain %s: %s (%s)", host, status, expected)
    return Outcome(status=status, evidence=tuple(evidence))
