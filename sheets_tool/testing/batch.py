"""The requests of ``spreadsheets.batchUpdate``, each as a function of the spreadsheet
and the request's body returning its reply. Behaviour and reply shapes follow the
recordings (gspread's calls); where they are silent, the API reference of each request.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Sheet, Spreadsheet

Handler = Callable[["Spreadsheet", dict[str, Any]], dict[str, Any]]
REQUESTS: dict[str, Handler] = {}


def request(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        REQUESTS[name] = fn
        return fn

    return register


def _bad(message: str) -> Exception:
    from .model import bad

    return bad(message)


def _paths(fields: str) -> list[list[str]]:
    """A field mask's leaves: "a/b,c(d,e)" → [["a", "b"], ["c", "d"], ["c", "e"]]."""
    from .masks import MaskError, parse

    try:
        mask = parse(fields)
    except MaskError:
        raise _bad(f"Invalid field mask: {fields}") from None
    out: list[list[str]] = []

    def walk(node: Any, prefix: list[str]) -> None:
        for name, sub in node.items():
            if sub is None:
                out.append([*prefix, name])
            else:
                walk(sub, [*prefix, name])

    walk(mask, [])
    return out


def quantize(doc: Any, key: str = "") -> Any:
    """Colours as Google keeps them: 8 bits a channel, answered as 32-bit floats
    (recorded: blue 0.5 reads back 0.49803922), a channel at 0 left out; each colour
    given as ``backgroundColor``/``foregroundColor`` is mirrored in its ``…Style``."""
    if isinstance(doc, dict):
        if key in ("rgbColor", "tabColor", "backgroundColor", "foregroundColor", "color"):
            out = {}
            for k, v in doc.items():
                if k in ("red", "green", "blue", "alpha") and isinstance(v, (int, float)):
                    q = math.floor(v * 255 + 1e-6) / 255  # 0.5 → 127
                    v = int(q) if q in (0, 1) else float(f"{q:.8g}")
                    if v == 0:
                        continue
                out[k] = v
            return out
        out = {k: quantize(v, k) for k, v in doc.items()}
        for plain in ("backgroundColor", "foregroundColor"):
            if plain in out and plain + "Style" not in out:
                out[plain + "Style"] = {"rgbColor": out[plain]}
        return out
    if isinstance(doc, list):
        return [quantize(v, key) for v in doc]
    return doc


def _prune(doc: dict[str, Any]) -> dict[str, Any]:
    """proto3 JSON: fields at their default value are not in the answer (a range's
    bounds are kept: recorded "startRowIndex": 0)."""
    out = {}
    for k, v in doc.items():
        if k == "range":
            out[k] = v
            continue
        if isinstance(v, dict):
            v = _prune(v) if k not in ("foregroundColor", "rgbColor") else v
            if not v and k not in ("foregroundColor", "rgbColor"):
                continue
        elif ((v in (0, False, "", None) and not isinstance(v, float)) or v is None) and k not in (
            "sheetId",
            "index",
        ):
            continue
        out[k] = v
    return out


def set_fields(target: dict[str, Any], source: dict[str, Any], fields: str) -> dict[str, Any]:
    """``target`` with the fields named in ``fields`` ("*" for all) taken from ``source``."""
    source = quantize(source)
    if fields.strip() == "*":
        merged = {**target, **source}
        return _prune(merged)
    out = _deep_copy(target)
    for path in _paths(fields):
        _copy_path(source, out, path)
    return _prune(out)


def _copy_path(source: dict[str, Any], target: dict[str, Any], path: list[str]) -> None:
    """The field at ``path`` of ``source`` set in ``target`` (removed when absent)."""
    src: Any = source
    for name in path:
        src = src.get(name) if isinstance(src, dict) else None
    node = target
    for name in path[:-1]:
        node = node.setdefault(name, {})
    if src is None:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = src


def _deep_copy(doc: dict[str, Any]) -> dict[str, Any]:
    import copy

    return copy.deepcopy(doc)


# -- sheets ------------------------------------------------------------------


@request("addSheet")
def add_sheet(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    given = dict(body.get("properties", {}))
    title = given.get("title") or f"Sheet{len(book.sheets) + 1}"
    if book.by_title(title) is not None:
        raise _bad(f'A sheet with the name "{title}" already exists. Please enter another name.')
    if "sheetId" in given and any(s.id == given["sheetId"] for s in book.sheets):
        raise _bad(f"A sheet with id {given['sheetId']} already exists.")
    given["title"] = title
    given.setdefault("sheetId", book.new_id())
    index = min(given.get("index", len(book.sheets)), len(book.sheets))
    sheet = book.new_sheet(given)
    book.sheets.insert(index, sheet)
    book.reindex()
    return {"addSheet": {"properties": _prune(sheet.props)}}


@request("deleteSheet")
def delete_sheet(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    sheet = book.by_id(body.get("sheetId"))
    if len(book.sheets) == 1:
        raise _bad("You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    book.named_ranges = [n for n in book.named_ranges if n["range"].get("sheetId", 0) != sheet.id]
    book.reindex()
    return {}


@request("duplicateSheet")
def duplicate_sheet(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    import copy

    source = book.by_id(body.get("sourceSheetId"))
    new = copy.deepcopy(source)
    title = body.get("newSheetName") or f"Copy of {source.title}"
    if book.by_title(title) is not None:
        raise _bad(f'A sheet with the name "{title}" already exists. Please enter another name.')
    new.props["title"] = title
    new.props["sheetId"] = body.get("newSheetId", book.new_id())
    book.sheets.insert(min(body.get("insertSheetIndex", len(book.sheets)), len(book.sheets)), new)
    book.reindex()
    return {"duplicateSheet": {"properties": _prune(new.props)}}


@request("updateSheetProperties")
def update_sheet_properties(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    given = body.get("properties", {})
    sheet = book.by_id(given.get("sheetId"))
    fields = body.get("fields", "")
    if not fields:
        raise _bad("At least one field must be updated, but none were specified.")
    new = set_fields(sheet.props, given, fields)
    new.setdefault("gridProperties", {})
    if new.get("hidden") and all(s.props.get("hidden") or s is sheet for s in book.sheets):
        raise _bad("You can't hide all the sheets in a document.")
    title = new.get("title")
    other = book.by_title(str(title)) if title else None
    if other is not None and other is not sheet:
        raise _bad(f'A sheet with the name "{title}" already exists. Please enter another name.')
    grid = new["gridProperties"]
    for key, default in (("rowCount", sheet.rows), ("columnCount", sheet.cols)):
        grid.setdefault(key, default)
    _shrink(sheet, grid["rowCount"], grid["columnCount"])
    index = new.get("index", 0)
    sheet.props = new
    if "index" in _flat(fields) or fields == "*":
        book.sheets.remove(sheet)
        book.sheets.insert(min(index, len(book.sheets)), sheet)
    book.reindex()
    return {}


def _flat(fields: str) -> set[str]:
    return {p[0] for p in _paths(fields)}


def _shrink(sheet: Sheet, rows: int, cols: int) -> None:
    for r, c in list(sheet.cells):
        if r >= rows or c >= cols:
            del sheet.cells[(r, c)]


@request("updateSpreadsheetProperties")
def update_spreadsheet_properties(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    fields = body.get("fields", "")
    if not fields:
        raise _bad("At least one field must be updated, but none were specified.")
    keep = {k: book.props[k] for k in ("defaultFormat", "spreadsheetTheme") if k in book.props}
    props = set_fields(book.props, body.get("properties", {}), fields)
    book.props = {**props, **{k: v for k, v in keep.items() if k not in _flat(fields)}}
    order = ["title", "locale", "autoRecalc", "timeZone", "defaultFormat", "spreadsheetTheme"]
    book.props = dict(sorted(book.props.items(), key=lambda kv: _order(order, kv[0])))
    return {}


def _order(order: list[str], key: str) -> int:
    return order.index(key) if key in order else len(order)


# -- cells -------------------------------------------------------------------


def _cell_fields(fields: str) -> list[list[str]]:
    return [["*"]] if fields.strip() == "*" else _paths(fields)


def _apply_cell(
    book: Spreadsheet, sheet: Sheet, r: int, c: int, given: dict[str, Any], fields: str
) -> None:
    old = dict(sheet.cells.get((r, c), {}))
    given = quantize(given)
    for path in _cell_fields(fields):
        if path == ["*"]:
            old = dict(given)
            break
        _copy_path(given, old, path)
    old = quantize({k: v for k, v in old.items() if v not in (None, {}, "")})
    for k in ("effectiveValue", "formattedValue", "effectiveFormat"):
        old.pop(k, None)
    if old:
        sheet.cells[(r, c)] = old
    else:
        sheet.cells.pop((r, c), None)


@request("updateCells")
def update_cells(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    fields = body.get("fields", "")
    if not fields:
        raise _bad("At least one field must be updated, but none were specified.")
    rows = body.get("rows", [])
    if "range" in body:
        sheet, r0, c0, r1, c1 = book.grid_span(body["range"])
    else:
        start = body.get("start", {})
        sheet = book.by_id(start.get("sheetId"))
        r0, c0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
        r1 = r0 + len(rows)
        c1 = c0 + max((len(row.get("values", [])) for row in rows), default=0)
    if r1 > sheet.rows or c1 > sheet.cols:
        from .model import bad

        raise bad(
            f"Range ('{sheet.title}'!...) exceeds grid limits. Max rows: {sheet.rows}, "
            f"max columns: {sheet.cols}"
        )
    for r in range(r0, r1):
        values = rows[r - r0].get("values", []) if r - r0 < len(rows) else []
        for c in range(c0, c1):
            given = values[c - c0] if c - c0 < len(values) else {}
            _apply_cell(book, sheet, r, c, given, fields)
    return {}


@request("repeatCell")
def repeat_cell(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    sheet, r0, c0, r1, c1 = book.grid_span(body["range"])
    for r in range(r0, r1):
        for c in range(c0, c1):
            _apply_cell(book, sheet, r, c, body.get("cell", {}), body.get("fields", ""))
    return {}


@request("setDataValidation")
def set_data_validation(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    rule = body.get("rule")
    sheet, r0, c0, r1, c1 = book.grid_span(body["range"])
    for r in range(r0, r1):
        for c in range(c0, c1):
            _apply_cell(book, sheet, r, c, {"dataValidation": rule}, "dataValidation")
    return {}


@request("mergeCells")
def merge_cells(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    sheet, r0, c0, r1, c1 = book.grid_span(body["range"])
    kind = body.get("mergeType", "MERGE_ALL")
    if kind == "MERGE_ALL":
        blocks = [(r0, c0, r1, c1)]
    elif kind == "MERGE_ROWS":
        blocks = [(r, c0, r + 1, c1) for r in range(r0, r1)]
    else:
        blocks = [(r0, c, r1, c + 1) for c in range(c0, c1)]
    for br0, bc0, br1, bc1 in blocks:
        # a merge over merged cells replaces them (recorded: rows merged one by one,
        # then all together, leave one merge)
        sheet.merges = [m for m in sheet.merges if not _overlap(m, br0, bc0, br1, bc1)]
        for r, c in list(sheet.cells):
            if br0 <= r < br1 and bc0 <= c < bc1 and (r, c) != (br0, bc0):
                sheet.cells[(r, c)].pop("userEnteredValue", None)
        sheet.merges.append(
            {
                "sheetId": sheet.id,
                "startRowIndex": br0,
                "endRowIndex": br1,
                "startColumnIndex": bc0,
                "endColumnIndex": bc1,
            }
        )
    return {}


def _overlap(m: dict[str, Any], r0: int, c0: int, r1: int, c1: int) -> bool:
    return not (
        m["endRowIndex"] <= r0
        or m["startRowIndex"] >= r1
        or m["endColumnIndex"] <= c0
        or m["startColumnIndex"] >= c1
    )


@request("unmergeCells")
def unmerge_cells(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    sheet, r0, c0, r1, c1 = book.grid_span(body["range"])
    sheet.merges = [m for m in sheet.merges if not _overlap(m, r0, c0, r1, c1)]
    return {}


@request("sortRange")
def sort_range(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    sheet, r0, c0, r1, c1 = book.grid_span(body["range"])
    rows = [{c: sheet.cells.get((r, c)) for c in range(c0, c1)} for r in range(r0, r1)]
    for spec in reversed(body.get("sortSpecs", [])):
        col = spec.get("dimensionIndex", 0)
        rows.sort(key=_by(col), reverse=spec.get("sortOrder") == "DESCENDING")
    for i, row in enumerate(rows):
        for c, cell in row.items():
            if cell is None:
                sheet.cells.pop((r0 + i, c), None)
            else:
                sheet.cells[(r0 + i, c)] = cell
    return {}


def _by(col: int) -> Callable[[dict[int, Any]], tuple[int, Any]]:
    return lambda row: _sort_key(row.get(col))


def _sort_key(cell: dict[str, Any] | None) -> tuple[int, Any]:
    value = (cell or {}).get("effectiveValue") or (cell or {}).get("userEnteredValue") or {}
    if "numberValue" in value:
        return (0, value["numberValue"])
    if "stringValue" in value:
        return (1, value["stringValue"].lower())
    if "boolValue" in value:
        return (2, value["boolValue"])
    return (3, 0)


def _moved(book: Spreadsheet, sheet: Sheet, dim: str, at: int, count: int) -> None:
    """Shift cells, merges and dimension metadata by ``count`` (negative: deleted)."""
    axis = 0 if dim == "ROWS" else 1
    moved: dict[tuple[int, int], dict[str, Any]] = {}
    for key, cell in sheet.cells.items():
        i = key[axis]
        if count < 0 and at <= i < at - count:
            continue
        if i >= at:
            key = (key[0] + count, key[1]) if axis == 0 else (key[0], key[1] + count)
        moved[key] = cell
    sheet.cells = moved
    start, end = (
        ("startRowIndex", "endRowIndex") if axis == 0 else ("startColumnIndex", "endColumnIndex")
    )
    for m in sheet.merges:
        if m[start] >= at:
            m[start] += count
            m[end] += count
    dims = {}
    for i, meta in sheet.dims[dim].items():
        if count < 0 and at <= i < at - count:
            continue
        dims[i + count if i >= at else i] = meta
    sheet.dims[dim] = dims
    count_key = "rowCount" if axis == 0 else "columnCount"
    sheet.props["gridProperties"][count_key] += count


@request("insertDimension")
def insert_dimension(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    r = body["range"]
    sheet = book.by_id(r.get("sheetId"))
    start, end = r.get("startIndex", 0), r.get("endIndex", 0)
    _moved(book, sheet, r["dimension"], start, end - start)
    return {}


@request("appendDimension")
def append_dimension(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    sheet = book.by_id(body.get("sheetId"))
    key = "rowCount" if body["dimension"] == "ROWS" else "columnCount"
    sheet.props["gridProperties"][key] += int(body.get("length", 0))
    return {}


@request("deleteDimension")
def delete_dimension(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    r = body["range"]
    sheet = book.by_id(r.get("sheetId"))
    start = r.get("startIndex", 0)
    end = r.get("endIndex", sheet.rows if r["dimension"] == "ROWS" else sheet.cols)
    _moved(book, sheet, r["dimension"], start, start - end)
    return {}


@request("updateDimensionProperties")
def update_dimension_properties(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    r = body["range"]
    sheet = book.by_id(r.get("sheetId"))
    dim = r["dimension"]
    end = r.get("endIndex", sheet.rows if dim == "ROWS" else sheet.cols)
    for i in range(r.get("startIndex", 0), end):
        sheet.dims[dim][i] = set_fields(
            sheet.dims[dim].get(i, {}), body.get("properties", {}), body.get("fields", "")
        )
    return {}


@request("autoResizeDimensions")
def auto_resize_dimensions(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    dims = body.get("dimensions", {})
    book.by_id(dims.get("sheetId"))
    return {}


@request("addDimensionGroup")
def add_dimension_group(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    r = body["range"]
    sheet = book.by_id(r.get("sheetId"))
    groups = sheet.groups[r["dimension"]]
    span = {
        "dimension": r["dimension"],
        "startIndex": r.get("startIndex", 0),
        "endIndex": r["endIndex"],
    }
    depth = 1 + sum(
        1
        for g in groups
        if g["range"]["startIndex"] <= span["startIndex"]
        and g["range"]["endIndex"] >= span["endIndex"]
    )
    groups.append({"range": span, "depth": depth})
    # once a sheet has had a group, its control sits after it (recorded, kept after
    # the group is deleted)
    control = "rowGroupControlAfter" if r["dimension"] == "ROWS" else "columnGroupControlAfter"
    sheet.props["gridProperties"][control] = True
    return {"addDimensionGroup": {"dimensionGroups": [dict(g) for g in groups]}}


@request("deleteDimensionGroup")
def delete_dimension_group(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    r = body["range"]
    sheet = book.by_id(r.get("sheetId"))
    groups = sheet.groups[r["dimension"]]
    for g in reversed(groups):
        if (
            g["range"]["startIndex"] == r.get("startIndex", 0)
            and g["range"]["endIndex"] == r["endIndex"]
        ):
            groups.remove(g)
            break
    else:
        raise _bad("No dimension group in the specified range.")
    return {
        "deleteDimensionGroup": {"dimensionGroups": [dict(g) for g in groups]} if groups else {}
    }


# -- named and protected ranges, filters ----------------------------------------


def _grid_range(book: Spreadsheet, r: dict[str, Any]) -> dict[str, Any]:
    book.by_id(r.get("sheetId"))
    keys = ("sheetId", "startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")
    return {k: r[k] for k in keys if k in r}


@request("addNamedRange")
def add_named_range(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    given = body.get("namedRange", {})
    name = given.get("name", "")
    if any(n["name"].lower() == name.lower() for n in book.named_ranges):
        raise _bad(f"Named range with name {name} already exists.")
    entry = {
        "namedRangeId": given.get("namedRangeId") or str(book.rng.randrange(10**8, 2**31)),
        "name": name,
        "range": _grid_range(book, given.get("range", {})),
    }
    book.named_ranges.append(entry)
    return {"addNamedRange": {"namedRange": {**entry, "range": _no_zero_id(entry["range"])}}}


def _no_zero_id(r: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in r.items() if not (k == "sheetId" and v == 0)}


@request("deleteNamedRange")
def delete_named_range(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    key = body.get("namedRangeId")
    if not any(n["namedRangeId"] == key for n in book.named_ranges):
        raise _bad(f"No named range with id {key}.")
    book.named_ranges = [n for n in book.named_ranges if n["namedRangeId"] != key]
    return {}


@request("updateNamedRange")
def update_named_range(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    given = body.get("namedRange", {})
    for i, n in enumerate(book.named_ranges):
        if n["namedRangeId"] == given.get("namedRangeId"):
            new = set_fields(n, given, body.get("fields", ""))
            new["range"] = _grid_range(book, new.get("range", {}))
            book.named_ranges[i] = {"namedRangeId": n["namedRangeId"], **new}
            return {}
    raise _bad(f"No named range with id {given.get('namedRangeId')}.")


@request("setBasicFilter")
def set_basic_filter(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    flt = dict(body.get("filter", {}))
    r = flt.get("range", {})
    sheet = book.by_id(r.get("sheetId"))
    rng = _grid_range(book, r)
    if len(rng) == 1:  # the whole sheet: Google answers the bounds of the grid
        rng.update(
            startRowIndex=0, endRowIndex=sheet.rows, startColumnIndex=0, endColumnIndex=sheet.cols
        )
    flt["range"] = rng
    sheet.basic_filter = flt
    return {}


@request("clearBasicFilter")
def clear_basic_filter(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    book.by_id(body.get("sheetId")).basic_filter = None
    return {}


@request("addProtectedRange")
def add_protected_range(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    given = body.get("protectedRange", {})
    rng = _grid_range(book, given.get("range", {}))
    sheet = book.by_id(rng.get("sheetId"))
    entry: dict[str, Any] = {
        "protectedRangeId": given.get("protectedRangeId") or book.rng.randrange(10**8, 2**31),
        "range": rng,
    }
    if given.get("description"):
        entry["description"] = given["description"]
    if given.get("warningOnly"):
        entry["warningOnly"] = True
    # the caller stays an editor: the answer says so, the stored range names them
    # (recorded: reply "editors": {}, then GET "editors": {"users": [the caller]})
    entry["requestingUserCanEdit"] = True
    given_editors = given.get("editors") or {}
    users = [book.caller, *[u for u in given_editors.get("users", []) if u != book.caller]]
    stored = {**entry, "editors": {"users": [u for u in users if u]}}
    if given_editors.get("groups"):
        stored["editors"]["groups"] = given_editors["groups"]
    sheet.protected.append(stored)
    return {
        "addProtectedRange": {"protectedRange": {**entry, "editors": {}, "range": _no_zero_id(rng)}}
    }


@request("deleteProtectedRange")
def delete_protected_range(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    key = body.get("protectedRangeId")
    for sheet in book.sheets:
        for p in sheet.protected:
            if p["protectedRangeId"] == key:
                sheet.protected.remove(p)
                return {}
    raise _bad(f"No protected range with id: {key}")


def _paste(book: Spreadsheet, source: dict[str, Any], dest: dict[str, Any], cut: bool) -> None:
    sheet, r0, c0, r1, c1 = book.grid_span(source)
    target = book.by_id(dest.get("sheetId"))
    tr, tc = (
        dest.get("rowIndex", dest.get("startRowIndex", 0)),
        dest.get("columnIndex", dest.get("startColumnIndex", 0)),
    )
    block = {
        (r - r0, c - c0): dict(cell)
        for (r, c), cell in sheet.cells.items()
        if r0 <= r < r1 and c0 <= c < c1
    }
    if cut:
        for r, c in list(sheet.cells):
            if r0 <= r < r1 and c0 <= c < c1:
                del sheet.cells[(r, c)]
    for r in range(r1 - r0):
        for c in range(c1 - c0):
            target.cells.pop((tr + r, tc + c), None)
    for (r, c), cell in block.items():
        target.cells[(tr + r, tc + c)] = cell


@request("copyPaste")
def copy_paste(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    _paste(book, body["source"], body["destination"], cut=False)
    return {}


@request("cutPaste")
def cut_paste(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    _paste(book, body["source"], body["destination"], cut=True)
    return {}
