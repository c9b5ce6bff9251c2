"""Google's partial-response ``fields`` masks, applied to an answer.

Both spellings Google accepts: ``properties(title,locale),sheets(properties(sheetId))``
and ``sheets.data.rowData.values.note`` / ``sheets/data/rowData/values/note``. A path
that reaches into a list applies to every element; objects the mask selects stay in the
answer even when nothing under them is left (``{"sheets": [{"data": [{}]}]}``, as
recorded), and a top-level field that is absent is left out (``{}``).
"""

from __future__ import annotations

from typing import Any

Mask = dict[str, "Mask | None"]  # None: the whole field


class MaskError(ValueError):
    """A mask Google would refuse (400)."""


def parse(text: str) -> Mask:
    mask: Mask = {}
    pos = _parse_into(text.replace(" ", ""), 0, mask)
    if pos != len(text.replace(" ", "")):
        raise MaskError(text)
    return mask


def _parse_into(text: str, pos: int, mask: Mask) -> int:
    while pos < len(text):
        start = pos
        while pos < len(text) and text[pos] not in ",()":
            pos += 1
        path = [p for p in text[start:pos].replace("/", ".").split(".") if p]
        if not path:
            raise MaskError(text)
        node = mask
        for name in path[:-1]:
            child = node.get(name, {})
            if child is None:  # already the whole field
                break
            node[name] = child
            node = child
        else:
            last = path[-1]
            if pos < len(text) and text[pos] == "(":
                child = node.get(last, {})
                sub: Mask = {} if child is None else child
                pos = _parse_into(text, pos + 1, sub)
                if pos >= len(text) or text[pos] != ")":
                    raise MaskError(text)
                pos += 1
                if child is not None:
                    node[last] = sub
            else:
                node[last] = None
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        if pos < len(text) and text[pos] == ")":
            return pos
    return pos


def apply(doc: Any, mask: Mask | None) -> Any:
    if mask is None:
        return doc
    if isinstance(doc, list):
        return [apply(item, mask) for item in doc]
    if not isinstance(doc, dict):
        return doc
    out = {}
    for name, sub in mask.items():
        if name == "*":
            return {k: apply(v, sub) for k, v in doc.items()}
        if name in doc:
            out[name] = apply(doc[name], sub)
    return out


def wants(mask: Mask | None, *path: str) -> bool:
    """Whether the mask selects anything under ``path`` (for costly parts: grid data)."""
    node: Mask | None = mask
    for name in path:
        if node is None:
            return True
        if name not in node and "*" not in node:
            return False
        node = node.get(name, node.get("*"))
    return True
