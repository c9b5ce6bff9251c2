"""What a unit's name is: the one place that decides it.

People write a unit with or without its type word ("Thôn Đông Thái", "Đông Thái",
"THÔN ĐÔNG THÁI"), behind a team's name ("Tổ CNS thôn Đông Thái") or inside a title
("UBND XÃ THIỆN TÂN - HUYỆN HỮU LŨNG"). The reader, validation, the registry and ingest
all ask this module, so they agree on which names are one unit.

Marks count: "Làng" is a village word, "Lạng" (Lạng Sơn) is not; "Bản" is, "Bàn" is
not. A type word typed without any mark is taken only where that cannot be a name
("thon", "xa", "phuong"), never where it can ("lang", "ban", "quan", "tinh").
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from .text import clean, fold_key, match_key

LEVELS = ("province", "district", "commune", "village")

TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "province": ("Tỉnh", "Thành phố"),
    "district": ("Huyện", "Quận", "Thị xã", "Thành phố"),
    # special zones (đặc khu) are commune-level since 1 July 2025
    "commune": ("Xã", "Phường", "Thị trấn", "Đặc khu"),
    # the North and Centre (thôn, xóm, bản, làng), the Central Highlands (buôn, plei,
    # bon), the South (ấp, sóc, khóm) and towns (tổ dân phố, khối, khu phố, tổ)
    "village": (
        "Thôn",
        "Xóm",
        "Bản",
        "Làng",
        "Buôn",
        "Plei",
        "Bon",
        "Ấp",
        "Sóc",
        "Khóm",
        "Tổ dân phố",
        "TDP",
        "Khối",
        "Khu phố",
        "Tổ",
    ),
}
# type words also taken when typed with no mark at all: none of them is a name
_UNMARKED = frozenset(
    {"thon", "xom", "to dan pho", "tdp", "khu pho", "xa", "phuong", "thi tran", "dac khu"}
    | {"huyen", "thi xa", "thanh pho"}
)
# a team's name in front of its unit: "Tổ CNS thôn Đông Thái", "Tổ công nghệ số xã"
TEAM_WORDS = (
    "Tổ công nghệ số cộng đồng",
    "Tổ công nghệ số",
    "Tổ chuyển đổi số cộng đồng",
    "Tổ chuyển đổi số",
    "Tổ CNS",
    "Tổ CNSCĐ",
    "Tổ CĐS",
    "Tổ CDS",
)


def _keys(
    words: list[str], folded: bool, unmarked: frozenset[str] | None
) -> tuple[tuple[str, ...], ...]:
    """``words`` as word tuples of their key, longest first; unless ``folded``, also the
    unmarked forms of those in ``unmarked`` (of all when None)."""
    key = fold_key if folded else match_key
    found = {tuple(key(w).split()) for w in words}
    if not folded:
        bare = (fold_key(w) for w in words)
        found |= {tuple(b.split()) for b in bare if unmarked is None or b in unmarked}
    return tuple(sorted(found, key=len, reverse=True))


def _words(levels: tuple[str, ...]) -> list[str]:
    return [w for lv in levels for w in TYPE_WORDS[lv]]


@cache
def _prefixes(levels: tuple[str, ...], folded: bool) -> tuple[tuple[str, ...], ...]:
    """The type words of ``levels``, as :func:`_keys`."""
    return _keys(_words(levels), folded, _UNMARKED)


@cache
def _team_prefixes() -> tuple[tuple[str, ...], ...]:
    """The team words, as :func:`_keys` (marked and unmarked: a folded name matches the
    unmarked forms)."""
    return _keys(list(TEAM_WORDS), False, None)


def _drop(words: list[str], prefixes: tuple[tuple[str, ...], ...], keep_one: bool) -> list[str]:
    for p in prefixes:
        if tuple(words[: len(p)]) == p and (len(words) > len(p) or not keep_one):
            return words[len(p) :]
    return words


def _parts(name: str, level: str | None, folded: bool) -> tuple[list[str], bool, bool]:
    """The name's key words without its team words and its type word, whether a team
    word was there, and whether a type word of ``level`` was there."""
    words = (fold_key(name) if folded else match_key(name)).split()
    rest = _drop(words, _team_prefixes(), keep_one=False)
    levels = (level,) if level else LEVELS
    body = _drop(rest, _prefixes(levels, folded), keep_one=True)
    return body, len(rest) < len(words), len(body) < len(rest)


@lru_cache(maxsize=1 << 16)
def name_key(name: str, level: str | None = None) -> str:
    """One key for every way a unit is written: "Tỉnh Hà Tĩnh", "Hà Tĩnh" and "HÀ TĨNH";
    "Tổ CNS thôn Đông Thái" and "Đông Thái". The match key (case, spacing and where a
    tone mark sits ignored; which mark kept) without the team words and the type word
    of ``level`` (of any level when None) in front."""
    return " ".join(_parts(name, level, folded=False)[0])


@lru_cache(maxsize=1 << 16)
def fold_name(name: str, level: str | None = None) -> str:
    """Like :func:`name_key` with every mark removed: for suggestions and slugs only."""
    return " ".join(_parts(name, level, folded=True)[0])


@lru_cache(maxsize=1 << 16)
def level_of(name: str) -> str | None:
    """The level a name's type word says ("Đặc khu Phú Quốc" → "commune"), or None.
    "Thành phố" is taken as a district (it is also a province's word)."""
    for level in ("commune", "village", "district", "province"):
        if _parts(name, level, folded=False)[2]:
            return level
    return None


def is_commune(name: str) -> bool:
    """ "Xã Tùng Ảnh", "Phường Hưng Dũng", "Thị trấn Đức Thọ", "Đặc khu Phú Quốc"."""
    return level_of(name) == "commune"


def is_commune_team(name: str) -> bool:
    """ "Tổ CNS phường", "Tổ công nghệ số xã": a commune's own team, named by the
    commune's type word alone."""
    body, team, _typed = _parts(name, "commune", folded=False)
    return team and tuple(body) in _prefixes(("commune",), False)


def _alternatives(levels: tuple[str, ...]) -> str:
    # the order is free: each alternative must be followed by a space and a name
    alts = [r"\s+".join(map(re.escape, w.split())) for w in _words(levels) if w != "Tổ"]
    if "village" in levels:
        alts.append(r"tổ(?=\s+\d)")  # "Tổ 5"; a bare "Tổ" starts a team's name
    return "|".join(alts)


@cache
def _in_text(levels: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w])(?<!thị\s)"  # "Thị xã Kỳ Anh" is no commune
        rf"(?:{_alternatives(levels)})"
        r"(?!\s+hội\b)"  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        r"\s+[^\s,;:()\n]",
        re.IGNORECASE,
    )


def unit_in_text(text: str, levels: tuple[str, ...] = ("commune", "village")) -> str | None:
    """The first unit of ``levels`` a title or heading names, as written:
    "UBND XÃ THIỆN TÂN - HUYỆN HỮU LŨNG" → "XÃ THIỆN TÂN"; "II. TỔ CNS BUÔN EA KAO" →
    "BUÔN EA KAO". The name ends at punctuation or a spaced dash."""
    body = clean(text)
    m = _in_text(levels).search(body)
    if not m:
        return None
    found = re.split(r"[,;:()\n]|\s[-–]\s", body[m.start() :])[0]
    return found.strip(" .-–") or None
