#!/usr/bin/env python3
"""Checks that the SQL huizhan runs is valid PostgreSQL 15 against the baseline schema.

Every statement is prepared and described (psql's \\gdesc) on a PostgreSQL database that
holds src/db/migrations/pg/*.sql: that parses and analyses the statement (names, functions,
operator and parameter types) without running it. Also failures: a result column that is
boolean or numeric (the store reads it with db_col_int, and PostgreSQL would send 't'/'f'
or a NUMERIC where SQLite gives an integer), and a parameter PostgreSQL types as integer
rather than bigint (an id past 2^31 would fail where SQLite takes it).

Statements come from two places:
  --static        every SQL string literal in the C files outside db/ that run SQL (after the C
                  preprocessor, so macros such as RECORD_STORE_NEXT_ID are expanded;
                  adjacent literals joined). Literals that are printf templates (%s), and
                  store/record_store.c, which assembles statements from pieces, are left
                  to --log.
  --log FILE...   texts captured at run time by tests/pg/sql_log_shim.so (LD_PRELOAD,
                  HZ_SQL_LOG=FILE), e.g. while the SQLite API suite runs: this covers the
                  statements store/record_store.c assembles.
Only DML (SELECT, INSERT, UPDATE, DELETE, WITH) is checked: PRAGMAs, transactions and
catalogue queries belong to the engine in db/.

Connection: the usual libpq variables (PGHOST, PGPORT, PGUSER, PGDATABASE) for psql.
Exit status 0 when every statement prepares; the failures are printed with the statement.
"""
import argparse, glob, os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DML = re.compile(r'^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b', re.I)
ENGINE = re.compile(r'sqlite_|pragma_|\bPRAGMA\b', re.I)


def c_literals(text):
    """Adjacent string literals joined, in order, from preprocessed C text."""
    out, i, n = [], 0, len(text)
    cur, last_end = None, -1
    while i < n:
        ch = text[i]
        if ch == "'":  # char literal
            j = i + 1
            while j < n and text[j] != "'":
                j += 2 if text[j] == '\\' else 1
            i = j + 1
            continue
        if ch == '"':
            j, buf = i + 1, []
            while j < n and text[j] != '"':
                if text[j] == '\\':
                    esc = text[j + 1]
                    buf.append({'n': '\n', 't': '\t', '\\': '\\', '"': '"', "'": "'", '0': '\0'}.get(esc, esc))
                    j += 2
                else:
                    buf.append(text[j])
                    j += 1
            s = ''.join(buf)
            if cur is not None and text[last_end:i].strip() == '':
                cur += s
            else:
                if cur is not None:
                    out.append(cur)
                cur = s
            last_end = j + 1
            i = j + 1
            continue
        i += 1
    if cur is not None:
        out.append(cur)
    return out


def static_statements():
    # files that run SQL, outside the engine; record_store.c only holds pieces of statements
    srcs = [f for f in glob.glob(os.path.join(ROOT, 'src', '**', '*.c'), recursive=True)
            if os.sep + 'db' + os.sep not in f[len(ROOT):] and not f.endswith('record_store.c')
            and re.search(r'\bdb_(prepare|exec|query_int)\(', open(f).read())]
    stmts, templates = [], 0
    for f in sorted(srcs):
        pre = subprocess.run(['cc', '-E', '-P', '-std=c11', '-I' + os.path.join(ROOT, 'src'), '-I/usr/include/cairo',
                              '-I/usr/include/pango-1.0', '-I/usr/include/glib-2.0',
                              '-I/usr/lib/x86_64-linux-gnu/glib-2.0/include', '-I/usr/include/harfbuzz', f],
                             capture_output=True, text=True)
        if pre.returncode:
            sys.exit(f'preprocessing {f} failed:\n{pre.stderr}')
        for s in c_literals(pre.stdout):
            if not DML.match(s) or ENGINE.search(s):
                continue
            if '%' in s and re.search(r'%[-0-9.]*(s|d|lld|zu)', s):
                templates += 1
                continue
            stmts.append((os.path.relpath(f, ROOT), s))
    return stmts, templates


def log_statements(paths):
    out = []
    for p in paths:
        for s in open(p, 'rb').read().decode('utf-8', 'replace').split('\0'):
            # a script (several statements: a migration) is SQLite's own
            if DML.match(s) and not ENGINE.search(s) and ';' not in s.rstrip().rstrip(';'):
                out.append((os.path.basename(p), s))
    return out


def to_pg(sql):
    """'?' and '?N' to '$N' as SQLite numbers them (a bare '?' is one past the largest so far)."""
    out, i, top, n = [], 0, 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch == "'":
            j = sql.index("'", i + 1)
            while j + 1 < n and sql[j + 1] == "'":
                j = sql.index("'", j + 2)
            out.append(sql[i:j + 1])
            i = j + 1
            continue
        if ch == '?':
            m = re.match(r'\?(\d*)', sql[i:])
            k = int(m.group(1)) if m.group(1) else top + 1
            top = max(top, k)
            out.append(f'${k}')
            i += len(m.group(0))
            continue
        out.append(ch)
        i += 1
    return ''.join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--static', action='store_true')
    ap.add_argument('--log', nargs='*', default=[])
    ap.add_argument('-v', '--verbose', action='store_true', help='print every statement checked')
    a = ap.parse_args()
    stmts, templates = static_statements() if a.static else ([], 0)
    stmts += log_statements(a.log)
    seen, uniq = set(), []
    for where, s in stmts:
        key = ' '.join(s.split())
        if key not in seen:
            seen.add(key)
            uniq.append((where, key))
    # Per statement: \gdesc (result columns), then PREPARE to read the parameters' types.
    with tempfile.NamedTemporaryFile('w', suffix='.sql', delete=False) as t:
        line_of = []  # script line -> statement index
        for k, (where, s) in enumerate(uniq):
            pg = to_pg(s)
            lines = [f'\\echo @@{k}', pg, '\\gdesc', f'PREPARE hz_check AS {pg};',
                     "SELECT '##' || parameter_types::text FROM pg_prepared_statements WHERE name = 'hz_check';",
                     'DEALLOCATE ALL;']
            t.write('\n'.join(lines) + '\n')
            line_of += [k] * len(lines)
        script = t.name
    r = subprocess.run(['psql', '-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=0', '-f', script],
                       capture_output=True, text=True)
    os.unlink(script)
    bad, cols, params, k = {}, {}, {}, None
    for line in r.stdout.splitlines():
        if line.startswith('@@'):
            k = int(line[2:])
        elif line.startswith('##') and k is not None:
            params[k] = line[2:].strip('{}').split(',')
        elif '|' in line and k is not None:
            cols.setdefault(k, []).append(line.split('|', 1))
    for line in r.stderr.splitlines():
        m = re.match(r'psql:[^:]*:(\d+): (ERROR: .*)', line)
        if m:
            k = line_of[int(m.group(1)) - 1]
            if k not in bad:
                bad[k] = m.group(2)
        elif line.startswith('psql:') and 'ERROR' not in line and 'NOTICE' not in line:
            sys.exit(line)
    # A parameter PostgreSQL types as integer (from `? = 0`) refuses an id past 2^31 that
    # SQLite takes: CAST(? AS BIGINT).
    for k, ps in params.items():
        small = [f'${i + 1}' for i, t in enumerate(ps) if t in ('integer', 'smallint')]
        if small and k not in bad:
            bad[k] = 'parameter typed integer, not bigint: ' + ', '.join(small)
    # Results the store reads with db_col_int: a boolean comes back as 't'/'f' on
    # PostgreSQL (SQLite gives 1/0), and numeric (SUM, AVG, division of sums) may carry a
    # fraction or a ".0"; both must be CAST or written with CASE.
    for k, cs in cols.items():
        odd = [f'{n} {t}' for n, t in cs if t in ('boolean', 'numeric', 'double precision', 'real')]
        if odd and k not in bad:
            bad[k] = 'result column of a type db_col_int does not read as on SQLite: ' + ', '.join(odd)
    for k in sorted(bad):
        where, s = uniq[k]
        print(f'{where}: {bad[k]}\n    {s}\n')
    if a.verbose:
        for k, (where, s) in enumerate(uniq):
            print(f'{where}: {s}\n    -> {cols.get(k)}')
    print(f'{len(uniq)} statements checked ({templates} printf templates left to --log), {len(bad)} failed')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
