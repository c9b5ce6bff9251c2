"""Message templates for every finding code, in Vietnamese and English.

The code is the contract; the prose may improve. Each message says what is wrong and,
where it can, what to do about it.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    # --- files -------------------------------------------------------------------
    "file.not_found": (
        "Không tìm thấy tệp. Kiểm tra lại đường dẫn.",
        "File not found. Check the path.",
    ),
    "file.empty": (
        "Tệp rỗng (0 byte). Hãy lưu lại tệp từ Excel rồi gửi lại.",
        "The file is empty (0 bytes). Save it again from Excel and resend it.",
    ),
    "file.google": (
        "Không đọc được Google Sheet: {detail}",
        "The Google Sheet could not be read: {detail}",
    ),
    "file.not_xlsx": (
        "Không phải tệp Excel .xlsx ({detail}). Hãy mở bằng Excel và chọn Lưu thành "
        "'Excel Workbook (*.xlsx)'.",
        "Not an Excel .xlsx file ({detail}). Open it in Excel and use Save As "
        "'Excel Workbook (*.xlsx)'.",
    ),
    "file.legacy_xls": (
        "Tệp Excel đời cũ (.xls, Excel 97-2003). Hãy mở bằng Excel hoặc LibreOffice và lưu "
        "thành .xlsx.",
        "A legacy Excel file (.xls, Excel 97-2003). Open it in Excel or LibreOffice and "
        "save it as .xlsx.",
    ),
    "file.encrypted": (
        "Tệp được đặt mật khẩu mở. Hãy gỡ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) "
        "rồi gửi lại.",
        "The workbook is password-protected. Remove the password (File > Info > Protect "
        "Workbook) and resend it.",
    ),
    "file.corrupt": (
        "Tệp bị hỏng hoặc tải về chưa hết ({detail}). Hãy tải lại hoặc xin gửi lại tệp.",
        "The file is damaged or was not fully downloaded ({detail}). Download it again or "
        "ask for it to be resent.",
    ),
    "file.too_large": (
        "Tệp quá lớn hoặc có cấu trúc bất thường ({detail}); không đọc để tránh treo máy.",
        "The file is too large or has an unusual structure ({detail}); it was not read, "
        "to keep the machine safe.",
    ),
    "file.unsafe": (
        "Tệp chứa nội dung XML không an toàn ({detail}); không đọc.",
        "The file holds unsafe XML ({detail}); it was not read.",
    ),
    "file.unreadable": (
        "Không đọc được tệp ({detail}). Hãy mở bằng Excel, lưu lại rồi thử lại; nếu vẫn lỗi, "
        "gửi tệp này cho nhóm phát triển.",
        "The file could not be read ({detail}). Open it in Excel, save it and try again; if "
        "it still fails, send the file to the developers.",
    ),
    "file.no_header": (
        "Không tìm thấy dòng tiêu đề cột của mẫu {template} trong 20 dòng đầu của sheet nào.{hint}",
        "No header row of the {template} template in the first 20 rows of any sheet.{hint}",
    ),
    "file.template_unknown": (
        "Không nhận ra tệp theo mẫu nào. Hãy chỉ rõ bằng --template (roster, steering, "
        "daily, monthly).{hint}",
        "Could not tell which template this file follows. Say it with --template (roster, "
        "steering, daily, monthly).{hint}",
    ),
    "file.hidden_sheet": (
        "Sheet đang ẩn nên không được đọc. Nếu nó có số liệu cần kiểm tra, hãy bỏ ẩn hoặc "
        "dùng --include-hidden.",
        "The sheet is hidden, so it was not read. If it holds data to check, unhide it or "
        "use --include-hidden.",
    ),
    "file.no_records": (
        "Sheet có dòng tiêu đề nhưng không có dòng số liệu nào.",
        "The sheet has a header row but no data rows.",
    ),
    # --- headers -----------------------------------------------------------------
    "header.missing_column": (
        "Dòng tiêu đề (dòng {header_row}) thiếu cột bắt buộc '{label}'.{hint}",
        "The header row (row {header_row}) lacks the required column '{label}'.{hint}",
    ),
    "header.ambiguous": (
        "Tiêu đề '{text}' có thể là cột {candidates}; không tự chọn. Hãy sửa tiêu đề cho đúng mẫu.",
        "Header '{text}' could be {candidates}; none was chosen. Rename it as in the template.",
    ),
    "header.fuzzy": (
        "Tiêu đề '{text}' được hiểu là cột '{label}'.",
        "Header '{text}' was read as column '{label}'.",
    ),
    "header.duplicate": (
        "Cột '{label}' xuất hiện hai lần (cũng ở {other}); chỉ dùng cột đầu tiên.",
        "Column '{label}' appears twice (also at {other}); only the first is used.",
    ),
    # --- cells -------------------------------------------------------------------
    "cell.formula_no_value": (
        "Ô có công thức nhưng chưa có giá trị tính sẵn (tệp không do Excel lưu). Hãy mở "
        "bằng Excel, lưu lại rồi gửi.",
        "The cell has a formula with no cached value (the file was not saved by a "
        "spreadsheet program). Open it in Excel, save, and resend.",
    ),
    "field.required": (
        "Cột '{label}' bắt buộc nhập nhưng đang để trống.",
        "'{label}' is required but empty.",
    ),
    "field.not_number": (
        "'{value}' ở cột '{label}' không phải là số.",
        "'{value}' in '{label}' is not a number.",
    ),
    "field.not_integer": (
        "'{value}' ở cột '{label}' phải là số nguyên.",
        "'{value}' in '{label}' must be a whole number.",
    ),
    "field.negative": (
        "'{value}' ở cột '{label}' không được âm.",
        "'{value}' in '{label}' must not be negative.",
    ),
    "field.implausible": (
        "'{value}' ở cột '{label}' lớn hơn mức có thể có ({max}). Kiểm tra lại số liệu "
        "(thừa chữ số, nhập nhầm cột?).",
        "'{value}' in '{label}' is above what is plausible ({max}). Check the number "
        "(extra digits, the wrong column?).",
    ),
    "field.future_date": (
        "Ngày {value} ở cột '{label}' ở trong tương lai. Kiểm tra lại năm và tháng.",
        "The date {value} in '{label}' is in the future. Check the year and month.",
    ),
    "field.not_date": (
        "'{value}' ở cột '{label}' không phải là ngày (ghi theo dạng ngày/tháng/năm).",
        "'{value}' in '{label}' is not a date (write day/month/year).",
    ),
    "field.not_month": (
        "'{value}' ở cột '{label}' không phải là tháng (ghi theo dạng tháng/năm, ví dụ 10/2022).",
        "'{value}' in '{label}' is not a month (write month/year, e.g. 10/2022).",
    ),
    "field.not_datetime": (
        "'{value}' ở cột '{label}' không phải là thời gian (ví dụ 16:30 05/08/2021).",
        "'{value}' in '{label}' is not a time (e.g. 16:30 05/08/2021).",
    ),
    "field.bad_phone": (
        "'{value}' không phải số điện thoại hợp lệ (10 số, bắt đầu bằng 0).",
        "'{value}' is not a valid phone number (10 digits starting with 0).",
    ),
    "field.bad_choice": (
        "'{value}' không có trong danh sách của cột '{label}' ({choices}).",
        "'{value}' is not one of the choices of '{label}' ({choices}).",
    ),
    "field.other_choice": (
        "'{value}' ở cột '{label}' không có trong danh sách gợi ý ({choices}).",
        "'{value}' in '{label}' is not one of the listed choices ({choices}).",
    ),
    "field.date_maybe_swapped": (
        "Ngày {value} ở cột '{label}' có thể đã bị đảo ngày và tháng (cột này có ngày "
        "dạng chữ như '{example}', máy nhập theo kiểu Mỹ). Hãy kiểm tra.",
        "Date {value} in '{label}' may have day and month swapped (the column also has "
        "text dates such as '{example}': typed under a US locale). Check it.",
    ),
    # --- rows --------------------------------------------------------------------
    "row.shops_exceed_households": (
        "Số hộ có cửa hàng số ({shops}) lớn hơn tổng số hộ ({households}).",
        "Households with a shop ({shops}) exceed households ({households}).",
    ),
    "row.sellers_exceed_shops": (
        "Số hộ có giao dịch thành công ({sellers}) lớn hơn số hộ có cửa hàng số ({shops}).",
        "Households that sold ({sellers}) exceed households with a shop ({shops}).",
    ),
    "row.new_shops_exceed_shops": (
        "Số cửa hàng mở mới trong ngày ({new_shops}) lớn hơn số hộ có cửa hàng số ({shops}).",
        "New shops today ({new_shops}) exceed households with a shop ({shops}).",
    ),
    "row.payment_exceed_households": (
        "Số hộ có tài khoản thanh toán ({payment_accounts}) lớn hơn tổng số hộ ({households}).",
        "Households with an e-payment account ({payment_accounts}) exceed households "
        "({households}).",
    ),
    "row.total_mismatch": (
        "Dòng tổng cộng ghi {label} = {value} nhưng cộng các dòng trên được {expected}.",
        "The total row says {label} = {value} but the rows above add up to {expected}.",
    ),
    "footer.count_mismatch": (
        "Dòng cuối ghi '{text}' ({stated} người) nhưng danh sách có {counted} người.",
        "The footer says '{text}' ({stated} people) but the list has {counted}.",
    ),
    # --- teams -------------------------------------------------------------------
    "team.size": (
        "Tổ '{team}' có {size} người; quy định {profile}: {rule}.",
        "Team '{team}' has {size} members; {profile} requires {rule}.",
    ),
    "team.leader_count": (
        "Tổ '{team}' có {count} Tổ trưởng; mỗi tổ phải có đúng một Tổ trưởng.",
        "Team '{team}' has {count} leaders; every team has exactly one.",
    ),
    "team.leader_position": (
        "Tổ trưởng của tổ '{team}' là '{position}'; quy định {profile}: Tổ trưởng là {expected}.",
        "The leader of team '{team}' is '{position}'; {profile} expects {expected}.",
    ),
    "team.deputy_position": (
        "Tổ phó của tổ '{team}' là '{position}'; quy định {profile}: Tổ phó là {expected}.",
        "The deputy of team '{team}' is '{position}'; {profile} expects {expected}.",
    ),
    "team.deputy_missing": (
        "Tổ '{team}' chưa có Tổ phó (quy định {profile}).",
        "Team '{team}' has no deputy ({profile}).",
    ),
    "team.member_missing": (
        "Tổ '{team}' chưa có thành viên là {expected} (quy định {profile}).",
        "Team '{team}' has no member who is {expected} ({profile}).",
    ),
    "team.duplicate_person": (
        "'{name}' có tên hai lần trong tổ '{team}' (cũng ở {other}).",
        "'{name}' is listed twice in team '{team}' (also at {other}).",
    ),
    "team.person_in_several_teams": (
        "'{name}' có tên trong nhiều tổ: {teams}.",
        "'{name}' is in several teams: {teams}.",
    ),
    "roster.village_without_team": (
        "'{village}' có trong danh sách nhưng chưa có tổ công nghệ số.",
        "'{village}' is named but has no digital team.",
    ),
    # --- steering committee ----------------------------------------------------------
    "steering.head_count": (
        "Ban chỉ đạo có {count} Trưởng ban; phải có đúng một.",
        "The committee has {count} heads; it must have exactly one.",
    ),
    "steering.head_not_chairman": (
        "Trưởng ban là '{position}'; Trưởng ban phải là Chủ tịch UBND xã.",
        "The head is '{position}'; the head must be the commune chairman (Chủ tịch UBND xã).",
    ),
    "steering.no_deputy": (
        "Ban chỉ đạo chưa có Phó ban.",
        "The committee has no deputy head.",
    ),
    "steering.duplicate_person": (
        "'{name}' có tên hai lần trong danh sách Ban chỉ đạo (cũng ở {other}).",
        "'{name}' is listed twice in the steering committee (also at {other}).",
    ),
    "steering.tables_differ": (
        "'{name}' có trong {present} nhưng không có trong {absent}.{hint}",
        "'{name}' is in {present} but not in {absent}.{hint}",
    ),
    "steering.village_unassigned": (
        "'{village}' chưa có thành viên Ban chỉ đạo phụ trách.",
        "'{village}' is not looked after by any committee member.",
    ),
    # --- the store: across days ---------------------------------------------------------
    "daily.cumulative_decreased": (
        "{unit}: '{label}' giảm từ {previous} (hôm trước) xuống {value}; số cộng dồn không "
        "được giảm.",
        "{unit}: '{label}' fell from {previous} (the day before) to {value}; a running total "
        "never falls.",
    ),
    "daily.new_shops_mismatch": (
        "{unit}: mở mới trong ngày ghi {value} nhưng số hộ có cửa hàng số tăng {expected} so "
        "với hôm trước.",
        "{unit}: new shops today says {value} but households with a shop grew by {expected} "
        "since the day before.",
    ),
    # --- which row counts -------------------------------------------------------------
    "report.other_period": (
        "Số liệu của tệp này thuộc kỳ {periods}, không phải kỳ đang tổng hợp ({period}): "
        "đã lưu nhưng không tính vào bảng tổng hợp này. Kiểm tra lại ngày báo cáo.",
        "This file's rows are of {periods}, not of the period consolidated ({period}): "
        "stored, but not counted in this summary. Check the report's date.",
    ),
    "report.duplicate_unit": (
        "'{unit}' có hai dòng trong cùng một báo cáo (dòng kia ở {other}); không dòng nào "
        "được tính. Hãy xóa dòng thừa hoặc sửa lại tên thôn rồi gửi lại.",
        "'{unit}' has two rows in one report (the other at {other}); neither is counted. "
        "Delete the extra row or correct the village name, and send it again.",
    ),
    "consolidate.conflicting_rows": (
        "{unit}: lần này nhận được hai bản số liệu khác nhau (bản kia: {others}); không bản "
        "nào được tính. Hãy chỉ giữ lại tệp đúng rồi tổng hợp lại.",
        "{unit}: two different sets of numbers were given at once (the other: {others}); "
        "neither is counted. Keep only the right file and consolidate again.",
    ),
    "consolidate.repeated_row": (
        "{unit}: số liệu giống hệt đã có ở {other}; chỉ tính một lần.",
        "{unit}: the same numbers are also at {other}; counted once.",
    ),
    "consolidate.stale_summary": (
        "{unit}: bảng tổng hợp này mang số liệu nhận lúc {received}, cũ hơn bản đã nhận lúc "
        "{newer}; dùng bản mới hơn. Hãy lấy bảng tổng hợp mới của cấp dưới.",
        "{unit}: this summary carries numbers received at {received}, older than the version "
        "received at {newer}; the newer one is used. Ask for the lower level's new summary.",
    ),
    "consolidate.using_earlier": (
        "{unit}: bản mới nhất có lỗi (xem các lỗi của thôn này) nên đang dùng bản nhận lúc "
        "{received}. Sửa lỗi và gửi lại để thay thế.",
        "{unit}: the newest version has errors (see this village's errors), so the version "
        "received at {received} is used. Correct it and send it again to replace it.",
    ),
    # --- registry ---------------------------------------------------------------------
    "registry.unknown_unit": (
        "Không có đơn vị '{name}' trong sổ đăng ký.{hint}",
        "No unit '{name}' in the registry.{hint}",
    ),
    "registry.not_in_force": (
        "'{name}' có trong sổ đăng ký nhưng không còn hoặc chưa có vào ngày báo cáo {date}. "
        "Kiểm tra lại ngày báo cáo.",
        "'{name}' is in the registry but not in force on the report's date, {date}. Check "
        "the report's date.",
    ),
    "registry.ambiguous_unit": (
        "Tên '{name}' ứng với nhiều đơn vị: {candidates}. Hãy ghi mã đơn vị hoặc tên đầy đủ "
        "(ví dụ 'Thị trấn ...' hay 'Xã ...').",
        "'{name}' names several units: {candidates}. Give the unit code or the full name "
        "(for example 'Thị trấn ...' or 'Xã ...').",
    ),
    "registry.bad_unit": (
        "Dòng đơn vị không đủ mã, tên hoặc cấp ('{value}').",
        "A unit row lacks its code, name or level ('{value}').",
    ),
    "registry.duplicate_village": (
        "Thôn '{name}' đã có trong xã này ở {other}; dòng này bị bỏ qua. Hãy xóa dòng thừa "
        "hoặc sửa tên thôn.",
        "Village '{name}' is already listed for this commune at {other}; this row is skipped. "
        "Delete the extra row or correct the name.",
    ),
    "registry.duplicate_code": (
        "Mã đơn vị '{code}' của '{name}' trùng với '{other}' ở {other_cell}.{fix} Sheet "
        "này là danh mục chính thức: hãy tạo lại bằng 'sheets-tool registry init'.",
        "Unit code '{code}' of '{name}' is also given to '{other}' at {other_cell}.{fix} "
        "This sheet is the official list: make it again with 'sheets-tool registry init'.",
    ),
    "registry.no_villages": (
        "Sổ đăng ký {registry} chưa có thôn nào của {commune}: các thôn được lấy theo báo "
        "cáo, và không biết thôn nào chưa báo cáo. Hãy nhập các thôn vào sheet Thôn của "
        "{registry}.",
        "The registry {registry} lists no village of {commune}: villages are taken from the "
        "reports, and none can be seen as missing. Type the villages into sheet Thôn of "
        "{registry}.",
    ),
    "registry.none_given": (
        "Không có sổ đăng ký: các thôn của {commune} được lấy theo báo cáo, và không biết "
        "thôn nào chưa báo cáo. Hãy dùng --registry (tạo bằng 'sheets-tool registry init').",
        "No registry: the villages of {commune} are taken from the reports, and none can be "
        "seen as missing. Give --registry (made with 'sheets-tool registry init').",
    ),
    "names.near_identical": (
        "Hai tên gần giống nhau: '{name}' và '{other}' ({other_cell}). Có phải cùng một "
        "người bị gõ sai?",
        "Two near-identical names: '{name}' and '{other}' ({other_cell}). Is one a typo of "
        "the other?",
    ),
}


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(code: str, params: dict[str, Any], lang: str = "vi") -> str:
    """The message for ``code`` in ``lang`` ("vi" or "en"), filled from ``params``."""
    vi, en = MESSAGES.get(code, ("{code}", "{code}"))
    text = en if lang == "en" else vi
    values = _Default({"code": code, "hint": ""})
    for key, value in params.items():
        if isinstance(value, dict):  # {"vi": ..., "en": ...}: a localised parameter
            value = value.get(lang, value.get("vi", ""))
        values[key] = value
    return text.format_map(values)
