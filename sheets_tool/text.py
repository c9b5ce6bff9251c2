"""Vietnamese text normalisation for matching what people type.

Three keys, from strict to loose:

* :func:`clean` — what a person sees: NFC, invisible characters removed, spaces folded.
* :func:`match_key` — for matching headers, names and choices: case, Unicode form
  (NFC/NFD), spacing, punctuation and *where* a tone mark sits (``hòa`` = ``hoà``) are
  ignored, but *which* tone mark is kept (``Hòa`` ≠ ``Hoa``).
* :func:`fold_key` — every mark removed and ``đ`` → ``d``; for suggestions and
  near-duplicate warnings only (``Thủy``/``Thùy``/``Thụy`` collide).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import Any

# The five Vietnamese tone marks as combining characters. Other combining marks
# (circumflex, breve, horn) belong to the vowel itself and are kept in place.
TONE_MARKS = {"\u0300": "1", "\u0301": "2", "\u0303": "3", "\u0309": "4", "\u0323": "5"}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_NOT_WORD = re.compile(r"[^\w]+")


def clean(value: Any) -> str:
    """NFC text with invisible characters dropped and runs of spaces folded to one."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def _tone_free_word(word: str) -> str:
    """A word's letters without its tone mark, followed by the tone's digit (if any)."""
    tone = ""
    out = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in TONE_MARKS:
            tone = TONE_MARKS[ch]
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)) + tone


def match_key(value: Any) -> str:
    """Key that ignores case, form, spacing, punctuation and tone-mark placement."""
    return _match_key("" if value is None else str(value))


def fold_key(value: Any) -> str:
    """Key with every diacritic removed (đ → d): for suggestions only."""
    return _fold_key("" if value is None else str(value))


# Sheets repeat the same few texts (headers, villages, roles) thousands of times.
@lru_cache(maxsize=1 << 16)
def _match_key(text: str) -> str:
    words = [w for w in _NOT_WORD.split(clean(text).casefold()) if w]
    return " ".join(_tone_free_word(w) for w in words)


@lru_cache(maxsize=1 << 16)
def _fold_key(text: str) -> str:
    folded = unicodedata.normalize("NFD", clean(text).casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).replace("đ", "d")
    return " ".join(w for w in _NOT_WORD.split(folded) if w)


# Abbreviations found in real positions (DOMAIN.md). Expanded only for matching and
# display next to the original; the value as typed is always kept.
ABBREVIATIONS: dict[str, str] = {
    "pbt": "Phó Bí thư",
    "bt": "Bí thư",
    "pct": "Phó Chủ tịch",
    "ct": "Chủ tịch",
    "cc": "Công chức",
    "tn": "Thanh niên",
    "vhxh": "Văn hóa - Xã hội",
    "vhtt": "Văn hóa - Thông tin",
    "ccb": "Cựu chiến binh",
    "mttq": "Mặt trận Tổ quốc",
    "hđnd": "Hội đồng nhân dân",
    "ubnd": "Ủy ban nhân dân",
    "lđtb&xh": "Lao động - Thương binh và Xã hội",
    "lđtbxh": "Lao động - Thương binh và Xã hội",
    "gttl": "Giao thông thủy lợi",
    "qs": "Quân sự",
    "ttđu": "Thường trực Đảng ủy",
    "tt": "Thường trực",
    "đu": "Đảng ủy",
    "cntt": "Công nghệ thông tin",
}
_ABBR_RE = re.compile(
    r"(?<![\w&])("
    + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w&])",
    re.IGNORECASE,
)


def expand_abbreviations(value: Any) -> str:
    """``"BT chi bộ"`` → ``"Bí thư chi bộ"``; text without abbreviations is unchanged."""
    text = clean(value)
    return _ABBR_RE.sub(lambda m: ABBREVIATIONS[m.group(1).casefold()], text)


def strip_bullet(value: Any) -> str:
    """Drop list decorations people type: ``"- Tổ trưởng"``, ``"1. Ông: ..."``."""
    text = clean(value)
    return re.sub(r"^(?:[-–—•+*]+|\d{1,3}[.)/]|[a-zđ][.)])\s*", "", text, flags=re.I).strip()


_HONORIFIC = re.compile(r"^(ông|bà|anh|chị|đ/c|đồng chí)\s*[:.]?\s+(?=\S)", re.IGNORECASE)


def split_honorific(value: Any) -> tuple[str | None, str]:
    """``"Ông: Phạm Hồng Chương"`` → ``("Ông", "Phạm Hồng Chương")``."""
    text = strip_bullet(value)
    m = _HONORIFIC.match(text)
    if not m:
        return None, text
    title = m.group(1)
    return title[0].upper() + title[1:].lower(), text[m.end() :].strip(" :-")


def person_key(name: Any) -> str:
    """Key for 'the same person': match key of the name without title or bullet."""
    return match_key(split_honorific(name)[1])


def shown(value: Any) -> str:
    """A cell value as a person would read it in a message (-2.0 → "-2")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    return clean(value)
