"""Template definitions and rule profiles, loaded from the TOML data files in ``templates/``.

A template is the definition of one record: its columns, each with a stable key,
Vietnamese and English labels, header aliases, a type and whether it is required.
A profile is a locality's team rules. Both are data: a user adds a locality's rules
with a file and no code (``--profile my-commune.toml``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from .i18n import tr
from .text import match_key

TEMPLATE_NAMES = ("roster", "steering", "daily", "monthly")
INTERNAL_TEMPLATES = ("registry_units", "registry_villages", "summary_data")
COLUMN_TYPES = (
    "text",
    "whole",
    "number",
    "money",
    "date",
    "month",
    "datetime",
    "phone",
    "choice",
)
SEVERITIES = ("error", "warning")
NUMBER_TYPES = ("whole", "number", "money")


class DefinitionError(ValueError):
    """A template or profile file that cannot be used; the message says why."""


def data_dir() -> Path:
    """Where the template and profile files are: in the wheel, or the source tree."""
    packaged = Path(__file__).parent / "_data" / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Column:
    key: str
    label_vi: str
    label_en: str
    type: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    choice_labels_en: tuple[str, ...] = ()
    choice_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    open_choice: bool = False
    cumulative: bool = False
    width: int = 14
    # plausibility, a warning by default: a number above ``max``, a date more than
    # ``max_days_ahead`` days after today
    max: float | None = None
    max_days_ahead: int | None = None
    bound_severity: str = "warning"

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi

    def header_keys(self) -> set[str]:
        """Every normalised header text that names this column."""
        return {match_key(t) for t in (self.label_vi, self.label_en, *self.aliases)}

    @property
    def choice_lookup(self) -> dict[str, str]:
        """Normalised typed text → canonical choice."""
        lookup: dict[str, str] = {}
        for i, choice in enumerate(self.choices):
            lookup[match_key(choice)] = choice
            if i < len(self.choice_labels_en):
                lookup[match_key(self.choice_labels_en[i])] = choice
            for alias in self.choice_aliases.get(choice, ()):
                lookup[match_key(alias)] = choice
        return lookup

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "label": self.label(lang),
            "label_vi": self.label_vi,
            "label_en": self.label_en,
            "type": self.type,
            "required": self.required,
            "aliases": list(self.aliases),
        }
        if self.choices:
            out["choices"] = list(self.choices)
            out["open_choice"] = self.open_choice
        if self.cumulative:
            out["cumulative"] = True
        if self.max is not None:
            out["max"] = self.max
        if self.max_days_ahead is not None:
            out["max_days_ahead"] = self.max_days_ahead
        return out


@dataclass(frozen=True)
class Template:
    name: str
    kind: str
    label_vi: str
    label_en: str
    sheet_vi: str
    sheet_en: str
    columns: tuple[Column, ...]
    instructions_vi: tuple[str, ...] = ()
    instructions_en: tuple[str, ...] = ()

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @cached_property
    def keys(self) -> frozenset[str]:
        return frozenset(c.key for c in self.columns)

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi

    def sheet_title(self, lang: str = "vi") -> str:
        return self.sheet_en if lang == "en" else self.sheet_vi

    def instructions(self, lang: str = "vi") -> tuple[str, ...]:
        return self.instructions_en if lang == "en" else self.instructions_vi

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "label": self.label(lang),
            "columns": [c.to_dict(lang) for c in self.columns],
        }


def _tuple(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key, ())
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        if value == ():
            return ()
        raise DefinitionError(f"'{key}' must be a list of texts")
    return tuple(value)


def _column(raw: dict[str, Any], where: str) -> Column:
    try:
        key, label_vi, label_en, type_ = raw["key"], raw["label_vi"], raw["label_en"], raw["type"]
    except KeyError as missing:
        raise DefinitionError(f"{where}: a column has no {missing}") from None
    if type_ not in COLUMN_TYPES:
        raise DefinitionError(f"{where}: column '{key}' has unknown type '{type_}'")
    choices = _tuple(raw, "choices")
    if type_ == "choice" and not choices:
        raise DefinitionError(f"{where}: choice column '{key}' lists no choices")
    aliases = raw.get("choice_aliases", {})
    top, ahead = raw.get("max"), raw.get("max_days_ahead")
    if top is not None and (isinstance(top, bool) or not isinstance(top, (int, float))):
        raise DefinitionError(f"{where}: column '{key}': max is a number")
    if ahead is not None and (isinstance(ahead, bool) or not isinstance(ahead, int) or ahead < 0):
        raise DefinitionError(f"{where}: column '{key}': max_days_ahead is a whole number ≥ 0")
    bound_severity = raw.get("bound_severity", "warning")
    if bound_severity not in SEVERITIES:
        raise DefinitionError(f"{where}: column '{key}': bound_severity is error or warning")
    return Column(
        key=key,
        label_vi=label_vi,
        label_en=label_en,
        type=type_,
        required=bool(raw.get("required", False)),
        aliases=_tuple(raw, "aliases"),
        choices=choices,
        choice_labels_en=_tuple(raw, "choice_labels_en"),
        choice_aliases={k: tuple(v) for k, v in aliases.items()},
        open_choice=bool(raw.get("open_choice", False)),
        cumulative=bool(raw.get("cumulative", False)),
        width=int(raw.get("width", 14)),
        max=top,
        max_days_ahead=ahead,
        bound_severity=bound_severity,
    )


def parse_template(raw: dict[str, Any], where: str) -> Template:
    """Build a :class:`Template` from a parsed TOML document."""
    columns = tuple(_column(c, where) for c in raw.get("columns", []))
    if not columns:
        raise DefinitionError(f"{where}: no columns")
    keys = [c.key for c in columns]
    if len(set(keys)) != len(keys):
        raise DefinitionError(f"{where}: a column key is used twice")
    seen: dict[str, str] = {}
    for col in columns:
        for hk in col.header_keys():
            if seen.setdefault(hk, col.key) != col.key:
                raise DefinitionError(
                    f"{where}: header '{hk}' names both '{seen[hk]}' and '{col.key}'"
                )
    return Template(
        name=raw["name"],
        kind=raw.get("kind", "report"),
        label_vi=raw["label_vi"],
        label_en=raw["label_en"],
        sheet_vi=raw.get("sheet_vi", raw["name"]),
        sheet_en=raw.get("sheet_en", raw["name"]),
        columns=columns,
        instructions_vi=_tuple(raw, "instructions_vi"),
        instructions_en=_tuple(raw, "instructions_en"),
    )


@cache
def load_template(name: str) -> Template:
    """One of :data:`TEMPLATE_NAMES` (or a registry sheet's definition, see
    :mod:`sheets_tool.registry`); raises :class:`DefinitionError` for another name."""
    if name not in TEMPLATE_NAMES + INTERNAL_TEMPLATES:
        raise DefinitionError(
            f"unknown template '{name}' (choose from: {', '.join(TEMPLATE_NAMES)})"
        )
    path = data_dir() / f"{name}.toml"
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    for source in raw.pop("indicators_from", []):
        raw["columns"] = _with_indicators(raw["columns"], load_template(source))
    return parse_template(raw, path.name)


def _with_indicators(columns: list[dict[str, Any]], source: Template) -> list[dict[str, Any]]:
    """``columns`` and a number column per number column of ``source`` (a report
    template), headed as there. A key already present (monthly "shops" after daily's)
    gets the source's labels as aliases, so either template's header names it."""
    out = list(columns)
    by_key = {c["key"]: c for c in out}
    for col in source.columns:
        if col.type not in NUMBER_TYPES:
            continue
        texts = [col.label_vi, col.label_en, *col.aliases]
        if col.key in by_key:
            known = by_key[col.key]
            seen = {match_key(t) for t in (known["label_vi"], known["label_en"], *known["aliases"])}
            known["aliases"] += [t for t in texts if match_key(t) not in seen]
            continue
        by_key[col.key] = {
            "key": col.key,
            "label_vi": col.label_vi,
            "label_en": col.label_en,
            "type": "number",
            "aliases": list(col.aliases),
            "width": 12,
        }
        out.append(by_key[col.key])
    return out


def all_templates() -> list[Template]:
    return [load_template(n) for n in TEMPLATE_NAMES]


# ---------------------------------------------------------------------------
# Rule profiles

RULE_DEFAULTS: dict[str, str] = {
    "team.size": "error",
    "team.leader_count": "error",
    "team.leader_position": "warning",
    "team.deputy_position": "warning",
    "team.deputy_missing": "warning",
    "team.member_missing": "warning",
    "team.duplicate_person": "error",
    "team.person_in_several_teams": "warning",
    "roster.village_without_team": "warning",
    "steering.head_count": "error",
    "steering.head_not_chairman": "warning",
    "steering.no_deputy": "error",
    "steering.tables_differ": "error",
    "steering.duplicate_person": "error",
    "steering.village_unassigned": "warning",
    "names.near_identical": "warning",
}


@dataclass(frozen=True)
class LevelRules:
    """Position rules for a team at one level (village or commune)."""

    leader_positions: tuple[str, ...] = ()
    deputy_positions: tuple[str, ...] = ()
    required_members: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Profile:
    name: str
    label_vi: str
    label_en: str
    source: str = ""
    min_size: int | None = None
    max_size: int | None = None
    deputy_required: bool = False
    village: LevelRules = LevelRules()
    commune: LevelRules = LevelRules()
    severity: dict[str, str] = field(default_factory=dict)

    def severity_of(self, rule: str) -> str:
        return self.severity.get(rule, RULE_DEFAULTS.get(rule, "error"))

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi

    def rules_for(self, level: str) -> LevelRules:
        return self.commune if level == "commune" else self.village


def _level(raw: dict[str, Any], where: str) -> LevelRules:
    groups = raw.get("required_members", [])
    if not all(isinstance(g, list) for g in groups):
        raise DefinitionError(
            tr(
                "{where}: required_members là một danh sách các danh sách chức vụ",
                "{where}: required_members is a list of lists of positions",
                where=where,
            )
        )
    return LevelRules(
        leader_positions=_tuple(raw, "leader_positions"),
        deputy_positions=_tuple(raw, "deputy_positions"),
        required_members=tuple(tuple(g) for g in groups),
    )


def parse_profile(raw: dict[str, Any], where: str) -> Profile:
    """Build a :class:`Profile` from a parsed TOML document, checking every field."""
    if "name" not in raw:
        raise DefinitionError(
            tr("{where}: bộ quy định cần có name", "{where}: a profile needs a name", where=where)
        )
    severity = dict(raw.get("severity", {}))
    for rule, sev in severity.items():
        if rule not in RULE_DEFAULTS:
            raise DefinitionError(
                tr(
                    "{where}: không có quy định '{rule}' (các quy định: {rules})",
                    "{where}: unknown rule '{rule}' (rules: {rules})",
                    where=where,
                    rule=rule,
                    rules=", ".join(sorted(RULE_DEFAULTS)),
                )
            )
        if sev not in SEVERITIES:
            raise DefinitionError(
                tr(
                    "{where}: quy định '{rule}' phải là 'error' hoặc 'warning'",
                    "{where}: rule '{rule}' must be 'error' or 'warning'",
                    where=where,
                    rule=rule,
                )
            )
    team = raw.get("team", {})
    sizes = [team.get("min_size"), team.get("max_size")]
    for size in sizes:
        if size is not None and (not isinstance(size, int) or size < 1):
            raise DefinitionError(
                tr(
                    "{where}: số thành viên của tổ là số nguyên ≥ 1",
                    "{where}: team sizes are whole numbers ≥ 1",
                    where=where,
                )
            )
    if None not in sizes and sizes[0] > sizes[1]:
        raise DefinitionError(
            tr(
                "{where}: min_size lớn hơn max_size",
                "{where}: min_size is larger than max_size",
                where=where,
            )
        )
    return Profile(
        name=raw["name"],
        label_vi=raw.get("label_vi", raw["name"]),
        label_en=raw.get("label_en", raw["name"]),
        source=raw.get("source", ""),
        min_size=sizes[0],
        max_size=sizes[1],
        deputy_required=bool(team.get("deputy_required", False)),
        village=_level(raw.get("village", {}), where),
        commune=_level(raw.get("commune", {}), where),
        severity=severity,
    )


def profile_names() -> list[str]:
    return sorted(p.stem for p in (data_dir() / "profiles").glob("*.toml"))


def load_profile(name_or_path: str | Path) -> Profile:
    """A built-in profile by name (``ha-tinh-2022``) or a profile TOML file by path."""
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = data_dir() / "profiles" / f"{name_or_path}.toml"
        if not path.is_file():
            raise DefinitionError(
                tr(
                    "không có bộ quy định '{name}' (có sẵn: {names}; hoặc cho đường dẫn một "
                    "tệp .toml)",
                    "unknown profile '{name}' (built in: {names}; or give the path of a .toml "
                    "file)",
                    name=name_or_path,
                    names=", ".join(profile_names()),
                )
            )
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except OSError as exc:
        raise DefinitionError(
            tr(
                "không đọc được bộ quy định {path}: {e}",
                "cannot read profile {path}: {e}",
                path=path,
                e=exc.strerror,
            )
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DefinitionError(
            tr("{p}: không phải TOML hợp lệ: {e}", "{p}: not valid TOML: {e}", p=path.name, e=exc)
        ) from None
    return parse_profile(raw, path.name)
