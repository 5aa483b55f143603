#!/usr/bin/env bash
# Import benchmark (issue 12: a million project rows in under 60 s, memory bounded); part of
# `make bench` and alone as `make bench-import`; not a test. For each size in ROWS it
# generates that many project rows as CSV (and XLSX), and imports them into a fresh copy of
# a small generated database with `huizhan import projects`, REPS times; the median wall and
# CPU time are reported with the importer's peak RSS.
# Baseline, in the same run and alternating with huizhan's runs: the same rows as plain
# INSERT statements into the projects table (the columns the import fills, ids given), in
# transactions of 2000 rows like the import's batches, run by the sqlite3 shell on a fresh
# copy of the same database: what storing the rows costs with no validation, running
# totals, audit or file reading. The ratio is huizhan's time over the baseline's.
# Settings: ROWS ("100000 1000000"), UNITS (100), REPS (3), MODES ("csv": any of dry csv
# xlsx; dry = the check pass alone, as --dry-run), BUILD (build), HZ_BIN, KEEP_WORK=1.
# The table goes to the terminal and to $BUILD/bench/import.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HZ=${HZ_BIN:-$BUILD/huizhan}
ROWS=${ROWS:-100000 1000000} UNITS=${UNITS:-100} REPS=${REPS:-3} MODES=${MODES:-csv}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/huizhan-import-bench.XXXXXX")
[ "${KEEP_WORK:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
OUT=$BUILD/bench
# One audit key for the base database and its copies (they keep no key beside them).
export HUIZHAN_AUDIT_KEY=$WORK/audit-key
mkdir -p "$OUT"
say() { printf 'import-bench: %s\n' "$*" >&2; }
command -v sqlite3 >/dev/null || { say "sqlite3 is missing (apt-get install sqlite3)"; exit 1; }

say "base database: $UNITS units, one campaign (huizhan gen)"
HUIZHAN_TODAY=2026-10-15 "$HZ" gen --db "$WORK/base.db" --units "$UNITS" --projects 0 --follow-ups 0 --funds 0 \
  >/dev/null 2>&1
sqlite3 "$WORK/base.db" "SELECT id || '|' || name FROM units ORDER BY id" >"$WORK/units.txt"
CAMPAIGN=$(sqlite3 "$WORK/base.db" "SELECT id FROM campaigns ORDER BY id LIMIT 1")

gen() { # rows: projects.csv, projects.xlsx (when asked), baseline.sql
  /usr/bin/python3 - "$WORK" "$1" "$CAMPAIGN" "$2" <<'PY'
import sys, zipfile
from xml.sax.saxutils import escape
work, rows, campaign, want_xlsx = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == '1'
units = [l.rstrip('\n').split('|', 1) for l in open(work + '/units.txt', encoding='utf-8')]
cats = ['工业项目', '服务业项目', '农业产业化项目', '其他']
cat_codes = ['industrial', 'services', 'agri_industrialization', 'other']
meths = ['行业招商', '以商招商', '联合招商', '展会招商']
meth_codes = ['industry', 'business_led', 'joint', 'fair']
head = ['项目名称', '牵头单位', '项目类别', '招商方式', '计划投资', '信息登记日期', '项目简介']
def row(i):
    return ['压测项目%07d' % i, units[i % len(units)][1], cats[i % 4], meths[(i // 4) % 4],
            str(1000000 + i * 37 % 900000000), '2026-09-%02d' % (1 + i % 28), '第 %d 个导入压测项目' % i]
with open(work + '/projects.csv', 'w', encoding='utf-8', newline='') as f:
    f.write('\ufeff' + ','.join(head) + '\r\n')
    for i in range(rows):
        f.write(','.join(row(i)) + '\r\n')
with open(work + '/baseline.sql', 'w', encoding='utf-8') as f:
    f.write('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;\n')
    for i in range(rows):
        if i % 2000 == 0: f.write('BEGIN IMMEDIATE;\n')
        r = row(i)
        f.write("INSERT INTO projects (id, created_at, updated_at, campaign_id, name, lead_unit_id, category, method,"
                " planned_investment, lead_date, last_activity_date, description) VALUES (%d, '2026-10-15T00:00:00Z',"
                " '2026-10-15T00:00:00Z', %d, '%s', %s, '%s', '%s', %s, '%s', '%s', '%s');\n"
                % (i + 1, campaign, r[0], units[i % len(units)][0], cat_codes[i % 4], meth_codes[(i // 4) % 4], r[4],
                   r[5], r[5], r[6]))
        if i % 2000 == 1999 or i == rows - 1: f.write('COMMIT;\n')
if want_xlsx:
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
}

# One timed run into $WORK/run.db: "wall cpu rss_kib". args: the command.
timed() {
  cp "$WORK/base.db" "$WORK/run.db"
  rm -f "$WORK/run.db-wal" "$WORK/run.db-shm"
  local t0 t1
  t0=$(date +%s.%N)
  HUIZHAN_TODAY=2026-10-15 /usr/bin/time -f '%M %U %S' -o "$WORK/rss" "$@" >"$WORK/out" 2>"$WORK/err" ||
    { cat "$WORK/err" >&2; exit 1; }
  t1=$(date +%s.%N)
  read -r rss usr sys <"$WORK/rss"
  awk -v a="$t0" -v b="$t1" -v u="$usr" -v s="$sys" -v k="$rss" 'BEGIN { printf "%.2f %.2f %d\n", b - a, u + s, k }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

TABLE=$OUT/import.md
{
  echo "| rows | run | wall (s) | CPU (s) | rows/s (wall) | peak RSS (MiB) | baseline wall / CPU (s) | ratio wall / CPU |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|"
} >"$TABLE"
for n in $ROWS; do
  want_xlsx=0
  case " $MODES " in *" xlsx "*) want_xlsx=1 ;; esac
  say "generating $n rows (CSV$([ $want_xlsx = 1 ] && echo ', XLSX'), baseline SQL)"
  gen "$n" "$want_xlsx"
  : >"$WORK/base.runs"
  for mode in $MODES; do : >"$WORK/$mode.runs"; done
  for rep in $(seq "$REPS"); do
    say "$n rows, run $rep of $REPS: baseline"
    timed sqlite3 -batch "$WORK/run.db" ".read $WORK/baseline.sql" >>"$WORK/base.runs"
    [ "$(sqlite3 "$WORK/run.db" 'SELECT COUNT(*) FROM projects')" = "$n" ] || { say "baseline stored too few rows"; exit 1; }
    for mode in $MODES; do
      say "$n rows, run $rep of $REPS: huizhan $mode"
      case $mode in
        dry) args=("$WORK/projects.csv" --dry-run) ;;
        csv) args=("$WORK/projects.csv") ;;
        xlsx) args=("$WORK/projects.xlsx") ;;
        *) say "unknown mode $mode"; exit 2 ;;
      esac
      timed "$HZ" import projects "${args[@]}" --db "$WORK/run.db" --campaign "$CAMPAIGN" >>"$WORK/$mode.runs"
      stored=$(sqlite3 "$WORK/run.db" 'SELECT COUNT(*) FROM projects')
      want=$n
      [ "$mode" = dry ] && want=0
      [ "$stored" = "$want" ] || { say "$mode stored $stored projects, not $want"; exit 1; }
      if [ "$mode" != dry ] && [ "$rep" = 1 ]; then
        "$HZ" check --db "$WORK/run.db" >"$WORK/check" 2>&1 || { say "huizhan check failed"; cat "$WORK/check" >&2; exit 1; }
        "$HZ" audit verify --db "$WORK/run.db" >"$WORK/verify" 2>&1 || { say "audit verify failed"; cat "$WORK/verify" >&2; exit 1; }
      fi
    done
  done
  bw=$(cut -d' ' -f1 "$WORK/base.runs" | median) bc=$(cut -d' ' -f2 "$WORK/base.runs" | median)
  for mode in $MODES; do
    w=$(cut -d' ' -f1 "$WORK/$mode.runs" | median) c=$(cut -d' ' -f2 "$WORK/$mode.runs" | median)
    k=$(cut -d' ' -f3 "$WORK/$mode.runs" | sort -n | tail -1)
    label=$([ "$mode" = dry ] && echo "csv, --dry-run (check pass)" || echo "$mode import")
    awk -v n="$n" -v l="$label" -v w="$w" -v c="$c" -v k="$k" -v bw="$bw" -v bc="$bc" 'BEGIN {
      printf "| %d | %s | %.1f | %.1f | %.0f | %.1f | %.1f / %.1f | %.1f / %.1f |\n", n, l, w, c, n / w, k / 1024, bw, bc, w / bw, c / bc }' >>"$TABLE"
  done
done
echo "" >>"$TABLE"
echo "Medians of $REPS runs; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end." >>"$TABLE"
cat "$TABLE"
