"""Cells as Google Sheets keeps them: what a typed value becomes, how formulas are
computed, and how a value is rendered for ``values.get``.

Sources: the recordings (``"0042"`` typed USER_ENTERED reads back 42; ``"2020-01-01"``
reads back 43831 unformatted and "2020-01-01" formatted; ``"2,000,000.01"`` keeps its
grouping when formatted; ``"= 1 / 1024"`` shows "0.0009765625"; ``"=4/2"`` is 2 and
"=4/2" with FORMULA; ``"3_1_0"`` stays text), and where they are silent Google's
documentation: "USER_ENTERED: the values will be parsed as if the user typed them into
the UI" in the spreadsheet's locale (decimal mark, date order, the formula argument
separator, which is ";" where the decimal mark is a comma), and dates as serial numbers
counted from 1899-12-30 (the "Date/time and number formats" guide).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

EPOCH = dt.datetime(1899, 12, 30)
# language codes whose decimal mark is a comma (and whose formulas separate arguments
# with ";")
_COMMA_LANGS = {
    "vi",
    "fr",
    "de",
    "es",
    "it",
    "pt",
    "nl",
    "ru",
    "pl",
    "tr",
    "id",
    "da",
    "sv",
    "nb",
    "fi",
    "cs",
    "sk",
    "hu",
    "ro",
    "uk",
    "el",
    "bg",
    "hr",
    "sl",
    "lt",
    "lv",
    "et",
}
# locales that write the month first
_MONTH_FIRST = {"en_US", "en_PH", "en_CA", "es_US", "en_BZ", "fil_PH"}

ERROR_TEXT = {
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "ERROR": "#ERROR!",
    "NAME": "#NAME?",
    "REF": "#REF!",
    "VALUE": "#VALUE!",
    "NUM": "#NUM!",
    "N_A": "#N/A",
}
Lookup = Callable[[str | None, int, int], dict[str, Any] | None]


def comma_decimal(locale: str) -> bool:
    return locale.split("_")[0].lower() in _COMMA_LANGS


def month_first(locale: str) -> bool:
    return locale in _MONTH_FIRST


def serial(value: dt.date | dt.datetime) -> float:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    days = (value - EPOCH).total_seconds() / 86400
    return int(days) if days == int(days) else days


def from_serial(x: float) -> dt.datetime:
    return EPOCH + dt.timedelta(days=x)


def _num(x: float) -> int | float:
    return int(x) if isinstance(x, float) and x.is_integer() and abs(x) < 2**53 else x


# -- entering --------------------------------------------------------------------


def enter(value: Any, option: str, locale: str) -> dict[str, Any]:
    """The CellData a value written with ``valueInputOption`` becomes."""
    if value is None or value == "":
        return {}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, (int, float)):
        return {
            "userEnteredValue": {
                "numberValue": _num(float(value)) if isinstance(value, float) else value
            }
        }
    text = str(value)
    if option != "USER_ENTERED":
        return {"userEnteredValue": {"stringValue": text}}
    if text.startswith("'"):
        return {"userEnteredValue": {"stringValue": text[1:]}}
    if text.startswith("=") and len(text) > 1:
        return {"userEnteredValue": {"formulaValue": text}}
    parsed = parse_typed(text, locale)
    if parsed is None:
        return {"userEnteredValue": {"stringValue": text}}
    extended, fmt = parsed
    out: dict[str, Any] = {"userEnteredValue": extended}
    if fmt:
        out["userEnteredFormat"] = {"numberFormat": fmt}
    return out


def _number_re(locale: str) -> re.Pattern[str]:
    dec, grp = (",", ".") if comma_decimal(locale) else (".", ",")
    g, d = re.escape(grp), re.escape(dec)
    return re.compile(rf"^([+-]?)(\d{{1,3}}(?:{g}\d{{3}})+|\d+)(?:{d}(\d+))?(%?)$")


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse_typed(text: str, locale: str) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
    """What Google makes of text typed in ``locale``: (ExtendedValue, numberFormat), or
    None when it stays text."""
    t = text.strip()
    if t.upper() in ("TRUE", "FALSE"):
        return {"boolValue": t.upper() == "TRUE"}, None
    m = _number_re(locale).match(t)
    if m:
        sign, whole, frac, pct = m.groups()
        grouped = not whole.isdigit()
        digits = re.sub(r"\D", "", whole)
        number = float(f"{sign}{digits}.{frac or '0'}")
        if pct:
            pattern = "0" + ("." + "0" * len(frac) if frac else "") + "%"
            return {"numberValue": _num(number / 100)}, {"type": "PERCENT", "pattern": pattern}
        fmt = None
        if grouped:
            fmt = {"type": "NUMBER", "pattern": "#,##0" + ("." + "0" * len(frac) if frac else "")}
        return {"numberValue": _num(number)}, fmt
    m = _ISO.match(t)
    if m:
        return _date(int(m[1]), int(m[2]), int(m[3]), m[4], m[5], m[6], "yyyy-mm-dd")
    m = _DMY.match(t)
    if m:
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        month, day = (a, b) if month_first(locale) else (b, a)
        base = "M/d/yyyy" if month_first(locale) else "dd/MM/yyyy"
        return _date(y, month, day, m[4], m[5], m[6], base)
    m = _TIME.match(t)
    if m and int(m[1]) < 24 and int(m[2]) < 60:
        secs = int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3] or 0)
        return {"numberValue": _num(secs / 86400)}, {
            "type": "TIME",
            "pattern": "h:mm" + (":ss" if m[3] else ""),
        }
    return None


def _date(
    y: int, mo: int, d: int, h: str | None, mi: str | None, s: str | None, pattern: str
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    try:
        when = dt.datetime(y, mo, d, int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return None
    if h is None:
        return {"numberValue": serial(when)}, {"type": "DATE", "pattern": pattern}
    return {"numberValue": serial(when)}, {
        "type": "DATE_TIME",
        "pattern": pattern + " h:mm" + (":ss" if s else ""),
    }


# -- formatting ------------------------------------------------------------------


def format_number(x: float, locale: str, pattern: str | None = None) -> str:
    """A number as Google shows it: up to 10 significant decimals without a format
    (recorded "0.0009765625"); with a format, its decimals and grouping."""
    dec, grp = (",", ".") if comma_decimal(locale) else (".", ",")
    if pattern and re.fullmatch(r"[#,0]+(\.0+)?%?", pattern):
        pct = pattern.endswith("%")
        places = len(pattern.split(".")[1].rstrip("%")) if "." in pattern else 0
        value = x * 100 if pct else x
        text = f"{value:,.{places}f}" if "," in pattern else f"{value:.{places}f}"
        text = text.replace(",", "\0").replace(".", dec).replace("\0", grp)
        return text + ("%" if pct else "")
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    text = f"{x:.15g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}E{'+' if int(exp) >= 0 else '-'}{abs(int(exp)):02d}"
    return text.replace(".", dec)


def format_date(x: float, pattern: str) -> str:
    when = from_serial(x)
    when = when.replace(microsecond=0) + dt.timedelta(seconds=round(when.microsecond / 1e6))
    out, i = [], 0
    tokens = ("yyyy", "MM", "mm", "dd", "hh", "ss", "M", "d", "h", "m")
    after_hour = False
    while i < len(pattern):
        for tok in tokens:
            if pattern.startswith(tok, i):
                if tok == "yyyy":
                    out.append(f"{when.year:04d}")
                elif tok in ("MM", "mm") and not (tok == "mm" and after_hour):
                    out.append(f"{when.month:02d}")
                elif tok == "mm":
                    out.append(f"{when.minute:02d}")
                elif tok == "dd":
                    out.append(f"{when.day:02d}")
                elif tok == "hh":
                    out.append(f"{when.hour:02d}")
                    after_hour = True
                elif tok == "ss":
                    out.append(f"{when.second:02d}")
                elif tok == "M":
                    out.append(str(when.month))
                elif tok == "d":
                    out.append(str(when.day))
                elif tok == "h":
                    out.append(str(when.hour))
                    after_hour = True
                else:
                    out.append(str(when.minute))
                i += len(tok)
                break
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


def format_value(
    extended: dict[str, Any], number_format: dict[str, Any] | None, locale: str
) -> str:
    if "stringValue" in extended:
        return str(extended["stringValue"])
    if "boolValue" in extended:
        return "TRUE" if extended["boolValue"] else "FALSE"
    if "errorValue" in extended:
        return ERROR_TEXT.get(extended["errorValue"].get("type", "ERROR"), "#ERROR!")
    x = float(extended.get("numberValue", 0))
    nf = number_format or {}
    if nf.get("type") in ("DATE", "DATE_TIME", "TIME") and nf.get("pattern"):
        return format_date(x, nf["pattern"])
    return format_number(x, locale, nf.get("pattern"))


def render(cell: dict[str, Any] | None, value_render: str, date_render: str, locale: str) -> Any:
    """What ``values.get`` answers for a cell (None: empty)."""
    if not cell or "userEnteredValue" not in cell:
        return None
    entered = cell["userEnteredValue"]
    if value_render == "FORMULA" and "formulaValue" in entered:
        return entered["formulaValue"]
    if value_render == "FORMATTED_VALUE":
        return cell.get("formattedValue", "")
    effective = cell.get("effectiveValue", entered)
    if "numberValue" in effective:
        nf = cell.get("userEnteredFormat", {}).get("numberFormat", {})
        if nf.get("type") in ("DATE", "DATE_TIME", "TIME") and date_render == "FORMATTED_STRING":
            return cell.get("formattedValue", "")
        return _num(float(effective["numberValue"]))
    if "errorValue" in effective:
        return cell.get("formattedValue", "#ERROR!")
    return next(iter(effective.values()))


# -- formulas ---------------------------------------------------------------------


class _Error(Exception):
    def __init__(self, kind: str, text: str) -> None:
        super().__init__(text)
        self.kind, self.text = kind, text


_TOKEN_TEXT = r"""\s*(?:
      (?P<str>"(?:[^"]|"")*")
    | (?P<ref>(?:(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?
        (?:\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}))
    | (?P<num>\d+(?:DECIMAL\d+)?(?:[eE][+-]?\d+)?)
    | (?P<fn>[A-Za-z][A-Za-z0-9.]*)\s*\(
    | (?P<bool>TRUE|FALSE)\b
    | (?P<op><>|<=|>=|[-+*/^&=<>(),;%])
    )"""
# numbers written with the locale's decimal mark
_TOKEN = {mark: re.compile(_TOKEN_TEXT.replace("DECIMAL", re.escape(mark)), re.X) for mark in ".,"}


def _tokens(text: str, locale: str) -> list[tuple[str, str]]:
    sep = ";" if comma_decimal(locale) else ","
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN["," if comma_decimal(locale) else "."].match(text, pos)
        if not m or m.end() == pos:
            raise _Error("ERROR", "#ERROR!")
        kind = m.lastgroup or ""
        value = m.group(kind)
        if kind == "num":
            if ("," in value and not comma_decimal(locale)) or (
                "." in value and comma_decimal(locale)
            ):
                raise _Error("ERROR", "#ERROR!")
            value = value.replace(",", ".")
        if kind == "op" and value in (",", ";"):
            if value != sep:
                # the other locale's separator: a parse error, as Google shows it
                raise _Error("ERROR", "#ERROR!")
            kind = "sep"
        out.append((kind, value))
        pos = m.end()
    return out


class _Parser:
    def __init__(
        self, tokens: list[tuple[str, str]], lookup: Lookup, height: Callable[[str | None], int]
    ) -> None:
        self.toks, self.i, self.lookup, self.height = tokens, 0, lookup, height

    def peek(self) -> tuple[str, str]:
        return self.toks[self.i] if self.i < len(self.toks) else ("end", "")

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        self.i += 1
        return tok

    def parse(self) -> Any:
        value = self.compare()
        if self.peek()[0] != "end":
            raise _Error("ERROR", "#ERROR!")
        return value

    def compare(self) -> Any:
        left = self.concat()
        while self.peek() in (
            ("op", "="),
            ("op", "<>"),
            ("op", "<"),
            ("op", ">"),
            ("op", "<="),
            ("op", ">="),
        ):
            op = self.take()[1]
            right = self.concat()
            left = _compare(op, _scalar(left), _scalar(right))
        return left

    def concat(self) -> Any:
        left = self.add()
        while self.peek() == ("op", "&"):
            self.take()
            left = _text(_scalar(left)) + _text(_scalar(self.add()))
        return left

    def add(self) -> Any:
        left = self.mul()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            a, b = _number(left), _number(self.mul())
            left = a + b if op == "+" else a - b
        return left

    def mul(self) -> Any:
        left = self.power()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            a, b = _number(left), _number(self.power())
            if op == "/" and b == 0:
                raise _Error("DIVIDE_BY_ZERO", "#DIV/0!")
            left = a * b if op == "*" else a / b
        return left

    def power(self) -> Any:
        left = self.unary()
        while self.peek() == ("op", "^"):
            self.take()
            left = _number(left) ** _number(self.unary())
        return left

    def unary(self) -> Any:
        if self.peek() in (("op", "-"), ("op", "+")):
            op = self.take()[1]
            value = _number(self.unary())
            return -value if op == "-" else value
        value = self.atom()
        if self.peek() == ("op", "%"):
            self.take()
            value = _number(value) / 100
        return value

    def atom(self) -> Any:
        kind, value = self.take()
        if kind == "num":
            return float(value)
        if kind == "str":
            return value[1:-1].replace('""', '"')
        if kind == "bool":
            return value.upper() == "TRUE"
        if kind == "ref":
            return self.ref(value)
        if kind == "fn":
            args = []
            if self.peek() != ("op", ")"):
                args.append(self.compare())
                while self.peek()[0] == "sep":
                    self.take()
                    args.append(self.compare())
            if self.take() != ("op", ")"):
                raise _Error("ERROR", "#ERROR!")
            return _call(value.upper(), args)
        if (kind, value) == ("op", "("):
            inner = self.compare()
            if self.take() != ("op", ")"):
                raise _Error("ERROR", "#ERROR!")
            return inner
        raise _Error("ERROR", "#ERROR!")

    def ref(self, text: str) -> Any:
        sheet: str | None = None
        if "!" in text:
            sheet, _, text = text.rpartition("!")
            if sheet.startswith("'"):
                sheet = sheet[1:-1].replace("''", "'")
        first, _, last = text.replace("$", "").partition(":")
        if first.isalpha():  # a whole column, "B:B": as far down as the sheet has values
            first, last = first + "1", last + str(max(self.height(sheet), 1))
        r0, c0 = _cell(first)
        r1, c1 = _cell(last) if last else (r0, c0)
        grid = [
            [_value_of(self.lookup(sheet, r, c)) for c in range(min(c0, c1), max(c0, c1) + 1)]
            for r in range(min(r0, r1), max(r0, r1) + 1)
        ]
        return grid if last else grid[0][0]


def _cell(text: str) -> tuple[int, int]:
    m = re.match(r"([A-Za-z]+)(\d+)", text)
    if not m:
        raise _Error("REF", "#REF!")
    col = 0
    for ch in m[1].upper():
        col = col * 26 + ord(ch) - 64
    return int(m[2]) - 1, col - 1


def _value_of(cell: dict[str, Any] | None) -> Any:
    if not cell:
        return None
    ev = cell.get("effectiveValue") or cell.get("userEnteredValue") or {}
    if "errorValue" in ev:
        kind = ev["errorValue"].get("type", "ERROR")
        raise _Error(kind, ERROR_TEXT.get(kind, "#ERROR!"))
    if "formulaValue" in ev:
        return None
    return next(iter(ev.values()), None)


def _scalar(value: Any) -> Any:
    if isinstance(value, list):
        return value[0][0] if value and value[0] else None
    return value


def _number(value: Any) -> float:
    value = _scalar(value)
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        raise _Error("VALUE", "#VALUE!") from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format_number(value, "en_US")
    return str(value)


def _compare(op: str, a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        a, b = a.lower(), b.lower()
    elif isinstance(a, str) or isinstance(b, str):
        return op == "<>"
    return bool(
        {
            "=": lambda: a == b,
            "<>": lambda: a != b,
            "<": lambda: a < b,
            ">": lambda: a > b,
            "<=": lambda: a <= b,
            ">=": lambda: a >= b,
        }[op]()
    )


def _flat(args: list[Any]) -> list[Any]:
    out: list[Any] = []
    for a in args:
        if isinstance(a, list):
            out.extend(v for row in a for v in row)
        else:
            out.append(a)
    return out


def _matches(criterion: Any) -> Callable[[Any], bool]:
    """A SUMIFS/COUNTIF criterion: "<5", ">=2", "<>x", "=", or a value; a text cell
    matches text equal to it (case aside), a number cell a number equal to it."""
    if not isinstance(criterion, str):
        return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v == criterion
    m = re.match(r"^(<>|<=|>=|=|<|>)(.*)$", criterion)
    op, rhs = (m[1], m[2]) if m else ("=", criterion)
    try:
        number: float | None = float(rhs)
    except ValueError:
        number = None

    def test(v: Any) -> bool:
        if v in (None, ""):
            return rhs == "" and op == "="
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return number is not None and _compare(op, float(v), number)
        return _compare(op, str(v), rhs)

    return test


def _call(name: str, args: list[Any]) -> Any:
    numbers = [v for v in _flat(args) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if name == "SUM":
        return float(sum(numbers))
    if name == "COUNT":
        return float(len(numbers))
    if name == "COUNTA":
        return float(sum(1 for v in _flat(args) if v not in (None, "")))
    if name == "AVERAGE":
        if not numbers:
            raise _Error("DIVIDE_BY_ZERO", "#DIV/0!")
        return sum(numbers) / len(numbers)
    if name in ("MIN", "MAX"):
        return float((min if name == "MIN" else max)(numbers)) if numbers else 0.0
    if name == "IF":
        cond = _scalar(args[0]) if args else False
        branch = args[1] if bool(cond) else (args[2] if len(args) > 2 else False)
        return branch
    if name == "ROUND":
        digits = int(_number(args[1])) if len(args) > 1 else 0
        x = _number(args[0]) * 10**digits
        return math.floor(abs(x) + 0.5) * (1 if x >= 0 else -1) / 10**digits
    if name in ("SUMIFS", "COUNTIF", "COUNTIFS", "SUMIF"):
        if name == "SUMIF":
            rng, crit = args[0], args[1]
            total = args[2] if len(args) > 2 else rng
            pairs = [(rng, crit)]
        elif name == "SUMIFS":
            total, pairs = args[0], list(zip(args[1::2], args[2::2], strict=False))
        else:
            total, pairs = None, list(zip(args[0::2], args[1::2], strict=False))
        cells = [_flat([p[0]]) for p in pairs]
        tests = [_matches(_scalar(p[1])) for p in pairs]
        n = len(cells[0]) if cells else 0
        keep = [i for i in range(n) if all(t(c[i]) for t, c in zip(tests, cells, strict=True))]
        if total is None:
            return float(len(keep))
        values = _flat([total])
        return float(
            sum(
                values[i]
                for i in keep
                if isinstance(values[i], (int, float)) and not isinstance(values[i], bool)
            )
        )
    raise _Error("NAME", "#NAME?")


def evaluate(
    cell: dict[str, Any],
    locale: str,
    lookup: Lookup,
    height: Callable[[str | None], int] = lambda title: 1000,
) -> dict[str, Any]:
    """The cell with its effective and formatted value (``height``: how many rows of a
    sheet hold values, for whole-column references)."""
    out = dict(cell)
    entered = cell.get("userEnteredValue", {})
    nf = cell.get("userEnteredFormat", {}).get("numberFormat")
    if "formulaValue" not in entered:
        out["effectiveValue"] = entered
        out["formattedValue"] = format_value(entered, nf, locale)
        return out
    try:
        value = _scalar(
            _Parser(_tokens(entered["formulaValue"][1:], locale), lookup, height).parse()
        )
        if isinstance(value, bool):
            effective: dict[str, Any] = {"boolValue": value}
        elif isinstance(value, (int, float)):
            if math.isinf(value) or math.isnan(value):
                raise _Error("NUM", "#NUM!")
            effective = {"numberValue": _num(float(value))}
        elif value is None:
            effective = {"numberValue": 0}
        else:
            effective = {"stringValue": str(value)}
        out["effectiveValue"] = effective
        out["formattedValue"] = format_value(effective, nf, locale)
    except _Error as exc:
        out["effectiveValue"] = {"errorValue": {"type": exc.kind, "message": exc.text}}
        out["formattedValue"] = exc.text
    return out
