"""Load rule packs from ``rules/``: every problem of a file is collected with its line.

A pack file has a top-level ``pack:`` header and a ``rules:`` list; other YAML files in the
folder (the section catalogue, registries) are not packs. A pack may ``extends:`` a base pack
(e.g. ``national``): it then holds the base's documents, categories and rules followed by its
own; it inherits ``grades`` and ``warn_credit`` unless it sets them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from auditor.checks.registry import CheckSpec, all_checks
from auditor.errors import Message, Problem, RuleError, UsageError, cat, message_of
from auditor.models import DocumentInfo, LocalText, normalise_host, t
from auditor.rules.checktree import CheckCall, CheckNode, NotOf
from auditor.rules.messages import closest, closest_vi, expand
from auditor.rules.schema import (
    DEFAULT_GRADES,
    DEFAULT_WARN_CREDIT,
    PackHeader,
    Rule,
    RuleContext,
    RuleOverride,
    ScoringConfig,
)
from auditor.validation_text import pydantic_message
from auditor.yamlsource import (
    Loc,
    YamlSyntaxError,
    display_name,
    duplicate_keys,
    line_of,
    parse_yaml,
    read_yaml_text,
)

logger = logging.getLogger(__name__)

NATIONAL = "national"
TOP_LEVEL_KEYS = ("pack", "rules")


@dataclass(frozen=True)
class Pack:
    """A validated rule pack, with its base pack's content merged in."""

    id: str
    title: LocalText
    draft: bool
    domains: tuple[str, ...]
    documents: tuple[DocumentInfo, ...]  # own documents first, then the base pack's
    rules: tuple[Rule, ...]  # the base pack's rules first, then its own
    scoring: ScoringConfig
    source: Path
    extends: str | None = None
    retired: tuple[tuple[Rule, str], ...] = ()  # base rules left out, with the reason
    link_hosts: tuple[str, ...] = ()  # hosts links may target, requested once (base's too)
    systems: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # section -> hosts

    @property
    def document(self) -> str:
        """The id of the pack's main document (the first it lists)."""
        return self.documents[0].id

    def find_document(self, doc_id: str) -> DocumentInfo | None:
        """The document ``doc_id`` of this pack, or ``None``."""
        return next((d for d in self.documents if d.id == doc_id), None)


@dataclass(frozen=True)
class PackRef:
    """A pack file found in a rules folder, known by its header only."""

    id: str
    path: Path
    domains: tuple[str, ...]


def list_packs(rules_dir: Path) -> tuple[PackRef, ...]:
    """The packs in ``rules_dir``, by id; raise :class:`RuleError` on unreadable files or ids
    used twice. Files without a top-level ``pack:`` mapping are skipped."""
    refs: list[PackRef] = []
    problems: list[Problem] = []
    for path in sorted(rules_dir.glob("*.yaml")) if rules_dir.is_dir() else ():
        stat = path.stat()
        try:
            ref = _read_ref(path, stat.st_mtime_ns, stat.st_size)
        except RuleError as exc:
            problems.extend(exc.problems)
            continue
        if ref is not None:
            refs.append(ref)
    seen: dict[str, PackRef] = {}
    for ref in refs:
        if ref.id in seen:
            problems.append(
                Problem(
                    display_name(ref.path),
                    None,
                    f"pack id {ref.id!r} is also used by {display_name(seen[ref.id].path)}",
                )
            )
        seen.setdefault(ref.id, ref)
    if problems:
        raise RuleError(problems)
    return tuple(sorted(refs, key=lambda r: r.id))


def pack_for_domain(domain: str, rules_dir: Path) -> str:
    """The id of the pack whose ``domains`` hold ``domain`` or a parent zone of it (the most
    specific wins); else ``national`` when there is one; else raise :class:`UsageError`."""
    host = normalise_host(domain).split(":", 1)[0]
    refs = list_packs(rules_dir)
    best: tuple[int, str] | None = None
    for ref in refs:
        for zone in ref.domains:
            covers = host == zone or host.endswith("." + zone)
            if covers and (best is None or len(zone) > best[0]):
                best = (len(zone), ref.id)
    if best is not None:
        return best[1]
    if any(ref.id == NATIONAL for ref in refs):
        return NATIONAL
    known = ", ".join(ref.id for ref in refs)
    raise UsageError(
        t(
            f"không bộ tiêu chí nào áp dụng cho {domain}; chọn một bằng --profile "
            f"(các bộ đã có: {known or 'không có'})",
            f"no rule pack covers {domain}; choose one with --profile "
            f"(known packs: {known or 'none'})",
        )
    )


def load_pack(pack_id: str, rules_dir: Path, checks: Mapping[str, CheckSpec] | None = None) -> Pack:
    """The pack ``pack_id`` from ``rules_dir`` (file ``<pack_id>.yaml`` or any file whose
    ``pack.id`` it is); raise :class:`UsageError` when there is none, :class:`RuleError`
    listing every problem when it is invalid. ``checks`` defaults to every registered one."""
    path = _find_pack(pack_id, rules_dir)
    return _Loader(checks if checks is not None else all_checks(), rules_dir).load(path, ())


def load_pack_file(
    path: Path,
    checks: Mapping[str, CheckSpec] | None = None,
    base_dir: Path | None = None,
) -> Pack:
    """The pack in file ``path``; a base pack it extends is looked up beside it, then in
    ``base_dir`` (e.g. the bundled ``rules/``, so that a custom pack can extend ours)."""
    loader = _Loader(checks if checks is not None else all_checks(), path.parent, base_dir)
    return loader.load(path, ())


def _find_pack(pack_id: str, rules_dir: Path) -> Path:
    direct = rules_dir / f"{pack_id}.yaml"
    if direct.is_file():
        stat = direct.stat()
        ref = _read_ref(direct, stat.st_mtime_ns, stat.st_size)
        if ref is not None and ref.id == pack_id:
            return direct
    refs = list_packs(rules_dir)
    for ref in refs:
        if ref.id == pack_id:
            return ref.path
    known = [ref.id for ref in refs]
    listed = ", ".join(known)
    raise UsageError(
        t(
            f"không có bộ tiêu chí {pack_id!r}{closest_vi(pack_id, known)}; "
            f"các bộ đã có: {listed or 'không có'}",
            f"unknown rule pack {pack_id!r}{closest(pack_id, known)}; "
            f"known packs: {listed or 'none'}",
        )
    )


@lru_cache(maxsize=64)
def _read_ref(path: Path, mtime_ns: int, size: int) -> PackRef | None:
    """The id and domains of the pack in ``path``, or ``None`` when it is not a pack (cached
    by modification time and size)."""
    name = display_name(path)
    node, data = _parse(path)
    if not isinstance(data, dict) or not isinstance(data.get("pack"), dict):
        return None
    header: dict[str, Any] = data["pack"]
    pack_id = header.get("id")
    if not isinstance(pack_id, str) or not pack_id:
        missing = t("pack: thiếu id", "pack: missing id")
        raise RuleError([Problem(name, line_of(node, ("pack", "id")), missing)])
    domains = header.get("domains") or ()
    hosts = tuple(
        str(d).strip().lower().rstrip(".").removeprefix("*.")
        for d in (domains if isinstance(domains, list) else ())
    )
    return PackRef(pack_id, path, hosts)


def _parse(path: Path) -> tuple[Any, Any]:
    name = display_name(path)
    try:
        text = read_yaml_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        cannot = t(f"không đọc được bộ tiêu chí: {exc}", f"cannot read rule pack: {exc}")
        raise RuleError([Problem(name, None, cannot)]) from exc
    try:
        return parse_yaml(text)
    except YamlSyntaxError as exc:
        raise RuleError([Problem(name, exc.line, exc.message)]) from exc


class _Loader:
    """Loads one pack and, recursively, the packs it extends."""

    def __init__(
        self, checks: Mapping[str, CheckSpec], rules_dir: Path, base_dir: Path | None = None
    ) -> None:
        self.checks = checks
        self.rules_dir = rules_dir
        self.base_dir = base_dir  # where base packs are looked up after rules_dir

    def _find_base(self, base_id: str) -> Path:
        try:
            return _find_pack(base_id, self.rules_dir)
        except UsageError:
            if self.base_dir is None or self.base_dir.resolve() == self.rules_dir.resolve():
                raise
            return _find_pack(base_id, self.base_dir)

    def load(self, path: Path, chain: tuple[str, ...]) -> Pack:
        name = display_name(path)
        node, data = _parse(path)
        problems = [
            Problem(name, line, t(f"khóa {key!r} bị lặp", f"duplicate key {key!r}"))
            for line, key in duplicate_keys(node)
        ]

        def add(loc: Loc, message: Message) -> None:
            problems.append(Problem(name, line_of(node, loc), message))

        if not isinstance(data, dict) or not isinstance(data.get("pack"), dict):
            shape = t(
                "không phải bộ tiêu chí: không có ánh xạ 'pack:' ở mức trên cùng",
                "not a rule pack: no top-level 'pack:' mapping",
            )
            raise RuleError([Problem(name, 1, shape)])
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                add(
                    (key,),
                    t(
                        f"không có khóa cấp trên cùng {key!r}"
                        f"{closest_vi(str(key), TOP_LEVEL_KEYS)}",
                        f"unknown top-level key {key!r}{closest(str(key), TOP_LEVEL_KEYS)}",
                    ),
                )
        raw_header: dict[str, Any] = data["pack"]
        header: PackHeader | None = None
        try:
            header = PackHeader.model_validate(raw_header)
        except ValidationError as exc:
            for loc, message in expand(exc, PackHeader):
                add(("pack", *loc), cat("pack: ", message))

        base = self._base(raw_header, chain, node, name, problems)
        if base is not None:
            base = _change_base(raw_header, base, self.checks, add)
        elif (raw_header.get("overrides") or raw_header.get("retire")) and not raw_header.get(
            "extends"
        ):
            add(
                ("pack", "overrides" if raw_header.get("overrides") else "retire"),
                t(
                    "pack: overrides và retire cần có 'extends'",
                    "pack: overrides and retire need 'extends'",
                ),
            )
        context = self._context(raw_header, base)
        rules = self._rules(data.get("rules"), base, context, add, lambda loc: line_of(node, loc))
        if problems:  # this file's in line order, then those of a base pack
            raise RuleError(sorted(problems, key=lambda p: (p.file != name, p.line or 0)))
        assert header is not None  # no problems means the header validated
        return _assemble(header, rules, base, path)

    def _base(
        self,
        raw: dict[str, Any],
        chain: tuple[str, ...],
        node: Any,
        name: str,
        problems: list[Problem],
    ) -> Pack | None:
        """The pack named by ``extends``, loaded; its problems are added to ``problems``."""
        base_id = raw.get("extends")
        own_id = str(raw.get("id"))
        if not isinstance(base_id, str) or not base_id:
            return None
        line = line_of(node, ("pack", "extends"))
        if base_id in (*chain, own_id):
            cycle = " -> ".join((*chain, own_id, base_id))
            problems.append(
                Problem(
                    name,
                    line,
                    t(
                        f"pack: extends tạo vòng lặp: {cycle}",
                        f"pack: extends makes a cycle: {cycle}",
                    ),
                )
            )
            return None
        try:
            return self.load(self._find_base(base_id), (*chain, own_id))
        except UsageError as exc:
            problems.append(Problem(name, line, cat("pack: extends: ", message_of(exc))))
        except RuleError as exc:
            problems.append(
                Problem(
                    name,
                    line,
                    t(
                        f"pack: extends {base_id!r}, là bộ không hợp lệ",
                        f"pack: extends {base_id!r}, which is invalid",
                    ),
                )
            )
            problems.extend(exc.problems)
        return None

    def _context(self, raw: dict[str, Any], base: Pack | None) -> RuleContext:
        """What rules may cite, read leniently from the raw header so that rules are checked
        even when the header has problems of its own; when a base pack could not be loaded,
        documents and categories are not checked (they may be the base's)."""
        docs = raw.get("documents")
        cats = raw.get("categories")
        documents = {
            d["id"]
            for d in (docs if isinstance(docs, list) else ())
            if isinstance(d, dict) and isinstance(d.get("id"), str)
        }
        categories = {str(c) for c in cats} if isinstance(cats, dict) else set()
        if base is not None:
            documents |= {d.id for d in base.documents}
            categories |= set(base.scoring.categories)
        elif raw.get("extends"):
            return RuleContext(checks=self.checks)
        return RuleContext(frozenset(documents), frozenset(categories), self.checks)

    def _rules(
        self,
        raw_rules: object,
        base: Pack | None,
        context: RuleContext,
        add: Callable[[Loc, Message], None],
        line: Callable[[Loc], int | None],
    ) -> list[Rule]:
        if raw_rules is None and base is not None:
            return []
        if not isinstance(raw_rules, list):
            add(
                ("rules",),
                t("rules: cần một danh sách tiêu chí", "rules: a list of rules is required"),
            )
            return []
        inherited = {rule.id for rule in base.rules} if base is not None else set()
        seen: dict[str, int] = {}
        rules: list[Rule] = []
        for index, raw in enumerate(raw_rules):
            rule_id = raw.get("id") if isinstance(raw, dict) else None
            label = (
                t(f"tiêu chí {rule_id!r}", f"rule {rule_id!r}")
                if isinstance(rule_id, str)
                else t(f"tiêu chí #{index + 1}", f"rule #{index + 1}")
            )
            try:
                rule = Rule.model_validate(raw, context=context)
            except ValidationError as exc:
                for loc, message in expand(exc, Rule):
                    add(("rules", index, *loc), cat(label, ": ", message))
                continue
            if rule.id in seen:
                add(
                    ("rules", index, "id"),
                    t(
                        f"{label.vi}: mã tiêu chí bị trùng (lần đầu ở dòng "
                        f"{line(('rules', seen[rule.id]))})",
                        f"{label.en}: duplicate rule id (first at line "
                        f"{line(('rules', seen[rule.id]))})",
                    ),
                )
            elif base is not None and rule.id in inherited:
                add(
                    ("rules", index, "id"),
                    t(
                        f"{label.vi}: đã có trong bộ tiêu chí gốc {base.id!r}",
                        f"{label.en}: already defined by base pack {base.id!r}",
                    ),
                )
            seen.setdefault(rule.id, index)
            rules.append(rule)
        return rules


def _assemble(header: PackHeader, rules: list[Rule], base: Pack | None, path: Path) -> Pack:
    """The pack of ``header`` and ``rules`` on top of ``base``."""
    base_docs = base.documents if base else ()
    own_ids = {d.id for d in header.documents}
    documents = header.documents + tuple(d for d in base_docs if d.id not in own_ids)
    categories = {**(base.scoring.categories if base else {}), **header.categories}
    grades = header.grades or (base.scoring.grades if base else dict(DEFAULT_GRADES))
    warn = header.warn_credit
    if warn is None:
        warn = base.scoring.warn_credit if base else DEFAULT_WARN_CREDIT
    main = header.documents[0]
    systems = {k: tuple(v) for k, v in (base.systems if base else {}).items()}
    for section, hosts in header.systems.items():
        systems[section] = tuple(dict.fromkeys((*systems.get(section, ()), *hosts)))
    all_rules = (base.rules if base else ()) + tuple(rules)
    if systems:
        all_rules = tuple(_with_systems(rule, systems) for rule in all_rules)
    return Pack(
        id=header.id,
        title=header.title,
        draft=header.draft or main.draft,
        domains=header.domains,
        documents=documents,
        rules=all_rules,
        scoring=ScoringConfig(
            grades=grades,
            warn_credit=warn,
            categories=categories,
            caps=(base.scoring.caps if base else ()) + header.caps,
        ),
        source=path,
        extends=header.extends,
        retired=base.retired if base else (),
        link_hosts=tuple(dict.fromkeys((*header.link_hosts, *(base.link_hosts if base else ())))),
        systems=systems,
    )


def _with_systems(rule: Rule, systems: dict[str, tuple[str, ...]]) -> Rule:
    """``rule`` with the pack's named systems given to every call that takes ``systems``."""
    if rule.check is None:
        return rule

    def walk(node: CheckNode) -> CheckNode:
        if isinstance(node, CheckCall):
            if "systems" not in type(node.params).model_fields:
                return node
            params = node.params.model_copy(update={"systems": systems})
            return node.model_copy(update={"params": params})
        if isinstance(node, NotOf):
            return node.model_copy(update={"item": walk(node.item)})
        return node.model_copy(update={"items": tuple(walk(i) for i in node.items)})

    return rule.model_copy(update={"check": walk(rule.check)})


def _change_base(
    raw: dict[str, Any],
    base: Pack,
    checks: Mapping[str, CheckSpec],
    add: Callable[[Loc, Message], None],
) -> Pack:
    """``base`` with the rules that ``pack.overrides`` changes and without those that
    ``pack.retire`` leaves out; unknown rule ids and parameters are problems."""
    raw_over = raw.get("overrides")
    raw_retire = raw.get("retire")
    overrides: dict[str, Any] = raw_over if isinstance(raw_over, dict) else {}
    retire: dict[str, Any] = raw_retire if isinstance(raw_retire, dict) else {}
    known = {rule.id for rule in base.rules}
    for where, keys in (("overrides", overrides), ("retire", retire)):
        for key in keys:
            if key not in known:
                add(
                    ("pack", where, key),
                    t(
                        f"pack: {where}: {key!r} không phải tiêu chí của {base.id!r}"
                        f"{closest_vi(str(key), known)}",
                        f"pack: {where}: {key!r} is not a rule of {base.id!r}"
                        f"{closest(str(key), known)}",
                    ),
                )
    rules: list[Rule] = []
    retired: list[tuple[Rule, str]] = []
    for rule in base.rules:
        if rule.id in retire:
            retired.append((rule, str(retire[rule.id])))
            continue
        if rule.id not in overrides:
            rules.append(rule)
            continue
        try:  # an invalid override is reported with the header
            parsed = RuleOverride.model_validate(overrides.get(rule.id))
        except ValidationError:
            rules.append(rule)
            continue
        rule_id = rule.id

        def problem(message: Message, rule_id: str = rule_id) -> None:
            add(
                ("pack", "overrides", rule_id, "params"),
                cat(f"pack: overrides {rule_id!r}: ", message),
            )

        rules.append(_override(rule, parsed, checks, problem))
    return replace(base, rules=tuple(rules), retired=base.retired + tuple(retired))


def _override(
    rule: Rule,
    change: RuleOverride,
    checks: Mapping[str, CheckSpec],
    problem: Callable[[Message], None],
) -> Rule:
    """``rule`` with ``change`` applied; parameters go to every call that accepts them."""
    update: dict[str, Any] = {
        k: v
        for k, v in (
            ("weight", change.weight),
            ("severity", change.severity),
            ("applies_to", change.applies_to),
        )
        if v is not None
    }
    if change.params:
        if rule.check is None:
            problem(t("tiêu chí thủ công không có tham số", "a manual rule has no parameters"))
        else:
            used: set[str] = set()
            node = _with_params(rule.check, change.params, checks, used, problem)
            unused = sorted(set(change.params) - used)
            if unused:
                names = ", ".join(unused)
                problem(
                    t(
                        f"không phép kiểm tra nào của tiêu chí nhận {names}",
                        f"no check of the rule takes {names}",
                    )
                )
            update["check"] = node
    return rule.model_copy(update=update)


def _with_params(
    node: CheckNode,
    params: dict[str, Any],
    checks: Mapping[str, CheckSpec],
    used: set[str],
    problem: Callable[[Message], None],
) -> CheckNode:
    if isinstance(node, CheckCall):
        model = checks[node.name].params if node.name in checks else type(node.params)
        mine = {k: v for k, v in params.items() if k in model.model_fields}
        if not mine:
            return node
        used.update(mine)
        try:
            new = model.model_validate({**node.params.model_dump(), **mine})
        except ValidationError as exc:
            problem(cat(f"{node.name}: ", pydantic_message(exc.errors()[0])))
            return node
        return node.model_copy(update={"params": new})
    if isinstance(node, NotOf):
        return node.model_copy(
            update={"item": _with_params(node.item, params, checks, used, problem)}
        )
    items = tuple(_with_params(i, params, checks, used, problem) for i in node.items)
    return node.model_copy(update={"items": items})
