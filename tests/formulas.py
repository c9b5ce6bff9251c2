"""A small evaluator of the formulas sheets-tool writes, so that a summary's formulas can be
checked without LibreOffice.

It knows what the summaries use: numbers, strings, cell and range references (on this
sheet or on another, quoted or not, with or without $), + - * / ^ & and comparisons,
SUM, SUMIFS, COUNTIFS, COUNTIF, SUMIF, IF, IFERROR, ROUND, HYPERLINK. Criteria follow
Excel's rules: "=x", "<>x", "<n", ">=n"…; a bare text matches case-insensitively, with the
wildcards * ? and ~; a number (or text that reads as one) matches equal numbers. Anything
else raises :class:`Unsupported`, so a new kind of formula is noticed, never guessed.

    book = FormulaBook(path)
    book.value("Tổng hợp", "D8")   # the value the formula in D8 computes
    book.formula_cells()           # [(sheet, cell)] of every formula
    book.cached("Tổng hợp", "D8")  # the value the writer stored with the formula
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.cell import column_index_from_string, get_column_letter


class Unsupported(Exception):
    """A formula uses something this evaluator does not know."""


class XLError(Exception):
    """An Excel error value (#DIV/0!, #VALUE!, …) on its way up to IFERROR or the cell."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Range:
    sheet: str
    top: int  # 1-based rows and columns, inclusive
    left: int
    bottom: int
    right: int

    @property
    def shape(self) -> tuple[int, int]:
        return (self.bottom - self.top + 1, self.right - self.left + 1)

    def cells(self) -> Iterator[tuple[int, int]]:
        for r in range(self.top, self.bottom + 1):
            for c in range(self.left, self.right + 1):
                yield r, c


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"]|"")*")
  | (?P<ref>(?:(?P<sheet>'(?:[^']|'')+'|[^\W\d][\w.]*)!)?
        (?P<c1>\$?[A-Z]{1,3}\$?\d+)(?::(?P<c2>\$?[A-Z]{1,3}\$?\d+))?)(?![\w(])
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<func>[A-Za-z_][\w.]*)\s*\(
  | (?P<bool>TRUE|FALSE)\b
  | (?P<op><>|<=|>=|[-+*/^&=<>(),%])
    """,
    re.VERBOSE,
)
_CELL = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


def _cell(text: str) -> tuple[int, int]:
    m = _CELL.fullmatch(text)
    assert m, text
    return int(m.group(2)), column_index_from_string(m.group(1))


def tokenize(formula: str) -> list[tuple[str, Any]]:
    text = formula[1:] if formula.startswith("=") else formula
    out: list[tuple[str, Any]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise Unsupported(f"cannot read {text[pos:]!r} in {formula!r}")
        pos = m.end()
        kind = "ref" if m.group("ref") else m.lastgroup
        if kind == "ws":
            continue
        if kind == "string":
            out.append(("string", m.group("string")[1:-1].replace('""', '"')))
        elif kind == "ref":
            sheet = m.group("sheet")
            if sheet and sheet.startswith("'"):
                sheet = sheet[1:-1].replace("''", "'")
            out.append(("ref", (sheet, m.group("c1"), m.group("c2"))))
        elif kind == "number":
            out.append(("number", float(m.group("number"))))
        elif kind == "func":
            out.append(("func", m.group("func").upper()))
        elif kind == "bool":
            out.append(("bool", m.group("bool") == "TRUE"))
        else:
            out.append(("op", m.group("op")))
    return out


# A parsed formula is a tree of tuples: ("num", x) ("str", s) ("bool", b) ("ref", Range)
# ("call", NAME, [args]) ("neg", x) ("pct", x) ("bin", op, a, b)
Node = tuple[Any, ...]


class _Parser:
    def __init__(self, tokens: list[tuple[str, Any]], sheet: str, formula: str) -> None:
        self.tokens = tokens
        self.i = 0
        self.sheet = sheet
        self.formula = formula

    def peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, Any]:
        tok = self.peek()
        if tok is None:
            raise Unsupported(f"unexpected end of {self.formula!r}")
        self.i += 1
        return tok

    def expect(self, op: str) -> None:
        tok = self.take()
        if tok != ("op", op):
            raise Unsupported(f"expected {op!r}, got {tok!r} in {self.formula!r}")

    def parse(self) -> Node:
        node = self.comparison()
        if self.peek() is not None:
            raise Unsupported(f"left over {self.tokens[self.i :]!r} in {self.formula!r}")
        return node

    def _binary(self, ops: tuple[str, ...], lower: Callable[[], Node]) -> Node:
        node = lower()
        while (tok := self.peek()) is not None and tok[0] == "op" and tok[1] in ops:
            self.i += 1
            node = ("bin", tok[1], node, lower())
        return node

    def comparison(self) -> Node:
        return self._binary(("=", "<>", "<", ">", "<=", ">="), self.concat)

    def concat(self) -> Node:
        return self._binary(("&",), self.additive)

    def additive(self) -> Node:
        return self._binary(("+", "-"), self.term)

    def term(self) -> Node:
        return self._binary(("*", "/"), self.power)

    def power(self) -> Node:
        return self._binary(("^",), self.unary)

    def unary(self) -> Node:
        tok = self.peek()
        if tok == ("op", "-"):
            self.i += 1
            return ("neg", self.unary())
        if tok == ("op", "+"):
            self.i += 1
            return self.unary()
        node = self.primary()
        while self.peek() == ("op", "%"):
            self.i += 1
            node = ("pct", node)
        return node

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "number":
            return ("num", value)
        if kind == "string":
            return ("str", value)
        if kind == "bool":
            return ("bool", value)
        if kind == "ref":
            sheet, c1, c2 = value
            r1, col1 = _cell(c1)
            r2, col2 = _cell(c2) if c2 else (r1, col1)
            return (
                "ref",
                Range(
                    sheet or self.sheet,
                    min(r1, r2),
                    min(col1, col2),
                    max(r1, r2),
                    max(col1, col2),
                ),
            )
        if kind == "func":
            args: list[Node] = []
            if self.peek() == ("op", ")"):
                self.i += 1
                return ("call", value, args)
            while True:
                args.append(self.comparison())
                tok = self.take()
                if tok == ("op", ")"):
                    return ("call", value, args)
                if tok != ("op", ","):
                    raise Unsupported(f"expected , or ) in {self.formula!r}")
        if (kind, value) == ("op", "("):
            node = self.comparison()
            self.expect(")")
            return node
        raise Unsupported(f"unexpected {value!r} in {self.formula!r}")


def parse(formula: str, sheet: str) -> Node:
    return _Parser(tokenize(formula), sheet, formula).parse()


# ---------------------------------------------------------------------------
# values


def _number(value: Any) -> float:
    """A value used in arithmetic, as Excel coerces it."""
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            raise XLError("#VALUE!") from None
    raise XLError("#VALUE!")


def _as_number(value: Any) -> float | None:
    """A number, or text that reads as one (for criteria); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


_CRITERION_OP = re.compile(r"^(<>|<=|>=|=|<|>)?(.*)$", re.DOTALL)


def criterion(crit: Any) -> Callable[[Any], bool]:
    """Excel's matching of one SUMIFS/COUNTIFS criterion against a cell value."""
    if isinstance(crit, bool):
        return lambda v: isinstance(v, bool) and v == crit
    if isinstance(crit, (int, float)):
        target = float(crit)
        return lambda v: _as_number(v) == target and not isinstance(v, bool)
    text = "" if crit is None else str(crit)
    m = _CRITERION_OP.match(text)
    assert m
    op, operand = m.group(1) or "", m.group(2)
    number = _as_number(operand)
    if op in ("<", ">", "<=", ">="):
        compare = {
            "<": lambda a, b: a < b,
            ">": lambda a, b: a > b,
            "<=": lambda a, b: a <= b,
            ">=": lambda a, b: a >= b,
        }[op]
        if number is not None:
            return lambda v: (
                isinstance(v, (int, float))
                and not isinstance(v, bool)
                and compare(float(v), number)
            )
        return lambda v: isinstance(v, str) and compare(v.lower(), operand.lower())
    if number is not None:

        def equal(v: Any) -> bool:
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                return float(v) == number
            return isinstance(v, str) and v.strip().lower() == operand.strip().lower()

    elif operand == "":

        def equal(v: Any) -> bool:
            return v is None or v == ""

    else:
        pattern = re.compile(_wildcard(operand), re.IGNORECASE | re.DOTALL)

        def equal(v: Any) -> bool:
            return isinstance(v, str) and pattern.fullmatch(v) is not None

    if op == "<>":
        return lambda v: not equal(v)
    return equal


def _wildcard(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "~" and i + 1 < len(text) and text[i + 1] in "*?~":
            out.append(re.escape(text[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return "".join(out)


class FormulaBook:
    """A workbook's formulas, evaluated from its other cells (and from each other)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.wb = openpyxl.load_workbook(self.path)
        self._cached = openpyxl.load_workbook(self.path, data_only=True)
        self._memo: dict[tuple[str, int, int], Any] = {}
        self._busy: set[tuple[str, int, int]] = set()

    # -- cells ------------------------------------------------------------------

    def formula_cells(self) -> list[tuple[str, str]]:
        out = []
        for ws in self.wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        out.append((ws.title, cell.coordinate))
        return out

    def formula(self, sheet: str, ref: str) -> str:
        return str(self.wb[sheet][ref].value)

    def cached(self, sheet: str, ref: str) -> Any:
        return self._cached[sheet][ref].value

    def value(self, sheet: str, ref: str) -> Any:
        """The value of a cell; a formula is evaluated. An Excel error is its code."""
        r, c = _cell(ref)
        try:
            return self._cell_value(sheet, r, c)
        except XLError as err:
            return err.code

    def _cell_value(self, sheet: str, r: int, c: int) -> Any:
        if sheet not in self.wb.sheetnames:
            raise XLError("#REF!")
        cell = self.wb[sheet].cell(row=r, column=c)
        if cell.data_type != "f":
            return cell.value
        key = (sheet, r, c)
        if key in self._memo:
            found = self._memo[key]
            if isinstance(found, XLError):
                raise found
            return found
        if key in self._busy:
            raise Unsupported(f"circular reference at {sheet}!{get_column_letter(c)}{r}")
        self._busy.add(key)
        try:
            result = self._scalar(self._eval(parse(str(cell.value), sheet)))
        except XLError as err:
            self._memo[key] = err
            raise
        finally:
            self._busy.discard(key)
        self._memo[key] = result
        return result

    def _values(self, rng: Range) -> list[Any]:
        return [self._cell_value(rng.sheet, r, c) for r, c in rng.cells()]

    # -- evaluation ---------------------------------------------------------------

    def _scalar(self, value: Any) -> Any:
        if isinstance(value, Range):
            if value.shape != (1, 1):
                raise XLError("#VALUE!")  # no implicit intersection here
            return self._cell_value(value.sheet, value.top, value.left)
        return value

    def _eval(self, node: Node) -> Any:
        kind = node[0]
        if kind in ("num", "str", "bool"):
            return node[1]
        if kind == "ref":
            return node[1]
        if kind == "neg":
            return -_number(self._scalar(self._eval(node[1])))
        if kind == "pct":
            return _number(self._scalar(self._eval(node[1]))) / 100
        if kind == "bin":
            return self._binary(node[1], node[2], node[3])
        if kind == "call":
            return self._call(node[1], node[2])
        raise Unsupported(str(node))

    def _binary(self, op: str, left: Node, right: Node) -> Any:
        a = self._scalar(self._eval(left))
        b = self._scalar(self._eval(right))
        if op == "&":
            return _text(a) + _text(b)
        if op in ("=", "<>", "<", ">", "<=", ">="):
            return _compare(op, a, b)
        x, y = _number(a), _number(b)
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op == "/":
            if y == 0:
                raise XLError("#DIV/0!")
            return x / y
        if op == "^":
            try:
                return math.pow(x, y)
            except (ValueError, OverflowError):
                raise XLError("#NUM!") from None
        raise Unsupported(op)

    def _call(self, name: str, args: list[Node]) -> Any:
        if name == "IFERROR":
            if len(args) != 2:
                raise Unsupported("IFERROR takes two arguments")
            try:
                return self._scalar(self._eval(args[0]))
            except XLError:
                return self._scalar(self._eval(args[1]))
        if name == "IF":
            if len(args) not in (2, 3):
                raise Unsupported("IF takes two or three arguments")
            cond = self._scalar(self._eval(args[0]))
            if isinstance(cond, str):
                raise XLError("#VALUE!")
            if cond:
                return self._scalar(self._eval(args[1]))
            return self._scalar(self._eval(args[2])) if len(args) == 3 else False
        values = [self._eval(a) for a in args]
        if name == "SUM":
            total = 0.0
            for v in values:
                if isinstance(v, Range):
                    total += sum(
                        float(x)
                        for x in self._values(v)
                        if isinstance(x, (int, float)) and not isinstance(x, bool)
                    )
                else:
                    total += _number(v)
            return total
        if name in ("SUMIFS", "COUNTIFS", "SUMIF", "COUNTIF"):
            return self._ifs(name, values)
        if name == "ROUND":
            x, digits = _number(self._scalar(values[0])), int(_number(self._scalar(values[1])))
            q = 10.0**digits
            return math.floor(abs(x) * q + 0.5) / q * (1 if x >= 0 else -1)
        if name == "HYPERLINK":
            shown = values[1] if len(values) > 1 else values[0]
            return self._scalar(shown)
        raise Unsupported(f"function {name}")

    def _ifs(self, name: str, values: list[Any]) -> float:
        if name == "SUMIF":
            rng, crit = values[0], values[1]
            sum_rng = values[2] if len(values) > 2 else rng
            values = [sum_rng, rng, crit]
            name = "SUMIFS"
        elif name == "COUNTIF":
            if len(values) != 2:
                raise Unsupported("COUNTIF takes two arguments")
            name = "COUNTIFS"
        sum_rng = values[0] if name == "SUMIFS" else None
        pairs = values[1:] if name == "SUMIFS" else values
        if len(pairs) % 2 or not pairs:
            raise Unsupported(f"{name}: ranges and criteria in pairs")
        ranges = pairs[0::2]
        tests = [criterion(self._scalar(c)) for c in pairs[1::2]]
        if not all(isinstance(r, Range) for r in ranges):
            raise XLError("#VALUE!")
        shapes = {r.shape for r in ranges} | ({sum_rng.shape} if sum_rng is not None else set())
        if len(shapes) != 1:
            raise XLError("#VALUE!")
        columns = [self._values(r) for r in ranges]
        keep = [
            all(t(col[i]) for t, col in zip(tests, columns, strict=True))
            for i in range(len(columns[0]))
        ]
        if sum_rng is None:
            return float(sum(keep))
        summed = self._values(sum_rng)
        return float(
            sum(
                float(v)
                for v, k in zip(summed, keep, strict=True)
                if k and isinstance(v, (int, float)) and not isinstance(v, bool)
            )
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _compare(op: str, a: Any, b: Any) -> bool:
    """Excel's comparison: numbers < text < booleans; text without case; a blank cell is
    0, "" or FALSE, as the other side."""

    def blank_as(other: Any) -> Any:
        return "" if isinstance(other, str) else False if isinstance(other, bool) else 0.0

    a = blank_as(b) if a is None else a
    b = blank_as(a) if b is None else b

    def key(v: Any) -> tuple[int, Any]:
        if isinstance(v, bool):
            return (2, v)
        if isinstance(v, (int, float)):
            return (0, float(v))
        return (1, str(v).lower())

    ka, kb = key(a), key(b)
    return {
        "=": ka == kb,
        "<>": ka != kb,
        "<": ka < kb,
        ">": ka > kb,
        "<=": ka <= kb,
        ">=": ka >= kb,
    }[op]


def same(evaluated: Any, cached: Any, rel: float = 1e-9) -> bool:
    """Whether an evaluated value equals the value stored with the formula (a blank
    cached value and an empty text are the same; numbers within ``rel``)."""
    if evaluated in ("", None) or cached in ("", None):
        return evaluated in ("", None) and cached in ("", None)
    if isinstance(evaluated, bool) or isinstance(cached, bool):
        return evaluated == cached
    if isinstance(evaluated, (int, float)) and isinstance(cached, (int, float)):
        return math.isclose(float(evaluated), float(cached), rel_tol=rel, abs_tol=1e-12)
    return evaluated == cached


def mismatches(book: FormulaBook) -> list[tuple[str, str, str, Any, Any]]:
    """Every formula whose evaluated value differs from its cached value:
    (sheet, cell, formula, evaluated, cached)."""
    out = []
    for sheet, ref in book.formula_cells():
        got, cached = book.value(sheet, ref), book.cached(sheet, ref)
        if not same(got, cached):
            out.append((sheet, ref, book.formula(sheet, ref), got, cached))
    return out
