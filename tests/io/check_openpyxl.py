#!/usr/bin/env python3
"""An independent reader checks src/io, both ways (run by ctest as io/openpyxl).

1. io_tool writes a known table as XLSX and CSV; Debian's openpyxl opens the XLSX and
   Python's csv module the CSV, and every cell, the frozen bold header, the drop-down
   lists, the marked cell (red fill + comment) and the hidden list sheet are checked.
2. openpyxl writes a workbook (shared strings, dates, booleans, floats, sparse cells, a
   formula it never calculates); io_tool dumps it and the values are checked.
"""
import atexit, csv, datetime, json, os, shutil, subprocess, sys, tempfile
import openpyxl

tool = sys.argv[1]
tmp = tempfile.mkdtemp(prefix="hz_openpyxl_")
atexit.register(shutil.rmtree, tmp, True)
failures = []

def check(cond, what):
    if not cond:
        failures.append(what)

def eq(got, want, what):
    check(got == want, f"{what}: got {got!r}, want {want!r}")

# ---- 1. ours, read by openpyxl ----
xlsx, csvp = os.path.join(tmp, "s.xlsx"), os.path.join(tmp, "s.csv")
subprocess.run([tool, "sample", xlsx, csvp], check=True)
names = ["新能源电池项目", "=1+1", "-负", "+86", "@SUM(A1)", "\t制表", "两\n行"]
guarded = ["新能源电池项目", "'=1+1", "'-负", "'+86", "'@SUM(A1)", "'\t制表", "两\n行"]
stages = ["签约", "开工", "投产"]
wb = openpyxl.load_workbook(xlsx)
eq(wb.sheetnames, ["项目清单", "lists"], "sheet names")
eq(wb["lists"].sheet_state, "hidden", "lists sheet state")
ws = wb["项目清单"]
eq([c.value for c in ws[1]], ["项目名称", "阶段", "投资额（万元）", "数量", "所属单位"], "header")
check(all(c.font.b for c in ws[1]), "header is bold")
eq(ws.freeze_panes, "A2", "frozen header")
eq(ws.max_row, 8, "rows")
for i in range(7):
    r = [c.value for c in ws[i + 2]]
    eq(r[0], guarded[i], f"A{i+2}")
    eq(ws.cell(i + 2, 1).data_type, "s", f"A{i+2} is a string, not a formula")
    eq(r[1], stages[i % 3], f"B{i+2}")
    eq(r[2], (123456 + i) / 100, f"C{i+2}")
    eq(ws.cell(i + 2, 3).number_format, "0.00", f"C{i+2} format")
    eq(r[3], "1234567890123456789" if i == 6 else -i, f"D{i+2}")
    eq(r[4], f"第{i+1}开发区管委会", f"E{i+2}")
bad = ws["B4"]
eq(bad.fill.fgColor.rgb, "FFFFC7CE", "marked cell fill")
check(bad.comment is not None and bad.comment.text == "阶段不在列表中", f"marked cell comment: {bad.comment}")
check(ws["B3"].comment is None, "unmarked cell has no comment")
dvs = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
eq(sorted(dvs), ["B2:B1048576", "E2:E1048576"], "validated ranges")
eq(dvs["B2:B1048576"].type, "list", "stage list type")
eq(dvs["B2:B1048576"].formula1, '"签约,开工,投产"', "stage list")
eq(dvs["E2:E1048576"].formula1, "lists!$A$1:$A$60", "unit list")
eq([wb["lists"].cell(r, 1).value for r in (1, 60)], ["第1开发区管委会", "第60开发区管委会"], "list sheet")
# widths fitted to the widest text, CJK counted double, plus 2: 新能源电池项目 is 14 wide;
# libxlsxwriter stores Excel's width with its padding (16 -> 16.7109375)
eq(round(ws.column_dimensions["A"].width, 4), 16.7109, "column A width")
eq(round(ws.column_dimensions["B"].width, 4), 6.7109, "column B width (阶段, 签约: 4)")
with open(csvp, "rb") as f:
    raw = f.read()
check(raw.startswith(b"\xef\xbb\xbf"), "CSV BOM")
check(b"\r\n" in raw, "CSV CRLF")
with open(csvp, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
eq(rows[0], ["项目名称", "阶段", "投资额（万元）", "数量", "所属单位"], "CSV header")
for i in range(7):
    eq(rows[i + 1], [guarded[i], stages[i % 3], f"{(123456 + i) // 100}.{(123456 + i) % 100:02d}",
                     "1234567890123456789" if i == 6 else str(-i), f"第{i+1}开发区管委会"], f"CSV row {i+2}")

# ---- 2. openpyxl's, read by ours ----
theirs = os.path.join(tmp, "theirs.xlsx")
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "数据"
ws.append(["名称", "签约日期", "金额", "启用", "备注"])
ws.append(["甲项目", datetime.date(2026, 1, 5), 1234.5, True, None])
ws.append([None, None, None, None, None])
ws.append(["乙项目", datetime.datetime(2026, 3, 1, 8, 30), 7, False, "说明"])
ws["E6"] = "隔行"
ws["B2"].number_format = "yyyy-mm-dd"
calc = wb.create_sheet("公式")
calc.append(["合计"])
calc["A2"] = "=SUM(1,2)"
wb.save(theirs)

def dump(*args):
    p = subprocess.run([tool, "dump", theirs, *args], capture_output=True, text=True)
    return p.returncode, [json.loads(l) for l in p.stdout.splitlines()]

rc, rows = dump()
eq(rc, 0, "dump exit")
eq(rows, [
    {"line": 1, "cells": ["名称", "签约日期", "金额", "启用", "备注"]},
    {"line": 2, "cells": ["甲项目", "2026-01-05", "1234.5", "TRUE", ""]},
    {"line": 4, "cells": ["乙项目", "2026-03-01 08:30:00", "7", "FALSE", "说明"]},
    {"line": 6, "cells": ["", "", "", "", "隔行"]},
], "openpyxl workbook")
rc, rows = dump("公式")
eq(rc, 1, "formula without cached value fails")
check(rows and "A2 是公式" in rows[-1].get("message", ""), f"formula message: {rows}")

if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("openpyxl check: all cells as expected")
