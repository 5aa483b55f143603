#!/usr/bin/env bash
# Import benchmark (issue 12: a million project rows in under 60 s, memory bounded); not a
# test. Generates ROWS project rows as CSV and as XLSX, imports each into a fresh copy of a
# small generated database with `huizhan import projects`, and prints rows/s and the
# importer's peak RSS (GNU time). A dry run of the CSV is measured too (same work, rolled
# back). Settings: ROWS (1000000), UNITS (100), MODES ("dry csv xlsx": which runs),
# BUILD (build), HZ_BIN, KEEP_WORK=1.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
HZ=${HZ_BIN:-$BUILD/huizhan}
ROWS=${ROWS:-1000000} UNITS=${UNITS:-100} MODES=${MODES:-dry csv xlsx}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/huizhan-import-bench.XXXXXX")
[ "${KEEP_WORK:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
say() { printf 'import-bench: %s\n' "$*" >&2; }

say "base database: $UNITS units, one campaign (huizhan gen)"
HUIZHAN_TODAY=2026-10-15 "$HZ" gen --db "$WORK/base.db" --units "$UNITS" --projects 0 --follow-ups 0 --funds 0 \
  >/dev/null 2>&1
UNIT_NAMES=$(sqlite3 "$WORK/base.db" "SELECT name FROM units ORDER BY id" | paste -sd'|')
CAMPAIGN=$(sqlite3 "$WORK/base.db" "SELECT id FROM campaigns ORDER BY id LIMIT 1")

say "generating $ROWS rows (CSV and XLSX)"
/usr/bin/python3 - "$WORK" "$ROWS" "$UNIT_NAMES" <<'PY'
import sys, zipfile
from xml.sax.saxutils import escape
work, rows, units = sys.argv[1], int(sys.argv[2]), sys.argv[3].split('|')
cats = ['工业项目', '服务业项目', '农业产业化项目', '其他']
meths = ['行业招商', '以商招商', '联合招商', '展会招商']
head = ['项目名称', '牵头单位', '项目类别', '招商方式', '计划投资', '信息登记日期', '项目简介']
def row(i):
    return ['压测项目%07d' % i, units[i % len(units)], cats[i % 4], meths[(i // 4) % 4],
            str(1000000 + i * 37 % 900000000), '2026-09-%02d' % (1 + i % 28), '第 %d 个导入压测项目' % i]
with open(work + '/projects.csv', 'w', encoding='utf-8', newline='') as f:
    f.write('\ufeff' + ','.join(head) + '\r\n')
    for i in range(rows):
        f.write(','.join(row(i)) + '\r\n')
def col(c): return chr(65 + c)
with zipfile.ZipFile(work + '/projects.xlsx', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="项目" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    with z.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as s:
        s.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        def put(r, cells):
            out = ['<row r="%d">' % r]
            for c, v in enumerate(cells):
                if c == 4 and r > 1: out.append('<c r="%s%d"><v>%s</v></c>' % (col(c), r, v))
                else: out.append('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (col(c), r, escape(v)))
            out.append('</row>')
            s.write(''.join(out).encode('utf-8'))
        put(1, head)
        for i in range(rows): put(i + 2, row(i))
        s.write(b'</sheetData></worksheet>')
PY
ls -l "$WORK"/projects.* | awk '{printf "import-bench: %s %.1f MiB\n", $NF, $5/1048576}' >&2

measure() { # label file [--dry-run]
  local label=$1 file=$2; shift 2
  cp "$WORK/base.db" "$WORK/run.db"
  local t0 t1
  t0=$(date +%s.%N)
  HUIZHAN_TODAY=2026-10-15 /usr/bin/time -f '%M %U %S' -o "$WORK/rss" "$HZ" import projects "$file" --db "$WORK/run.db" \
    --campaign "$CAMPAIGN" "$@" >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  t1=$(date +%s.%N)
  local n
  n=$(sqlite3 "$WORK/run.db" "SELECT COUNT(*) FROM projects")
  read -r rss usr sys <"$WORK/rss"
  awk -v l="$label" -v r="$ROWS" -v a="$t0" -v b="$t1" -v k="$rss" -v c="$(awk -v u="$usr" -v s="$sys" 'BEGIN{print u+s}')" -v n="$n" \
    'BEGIN { printf "%-12s %8d rows  wall %6.1f s %7.0f rows/s  cpu %6.1f s %7.0f rows/s  peak RSS %5.1f MiB  projects stored %d\n", l, r, b-a, r/(b-a), c, r/c, k/1024, n }'
}
for mode in $MODES; do
  case $mode in
    dry) measure "csv dry run" "$WORK/projects.csv" --dry-run ;;
    csv) measure "csv import" "$WORK/projects.csv" ;;
    xlsx) measure "xlsx import" "$WORK/projects.xlsx" ;;
    *) say "unknown mode $mode"; exit 2 ;;
  esac
done
