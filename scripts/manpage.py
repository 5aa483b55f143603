#!/usr/bin/env python3
"""Writes huizhan(1) in roff from the binary's own help (`huizhan help`, then
`huizhan help COMMAND` for each command), so the man page says what the program says.
Usage: scripts/manpage.py BIN > huizhan.1"""
import subprocess
import sys


def help_text(binary, *args):
    return subprocess.run([binary, 'help', *args], check=True, capture_output=True, text=True).stdout


def roff(text):
    """Escapes text for roff: backslashes, and a leading dot or quote."""
    out = []
    for line in text.split('\n'):
        line = line.replace('\\', '\\e').replace('-', '\\-')
        if line.startswith(('.', "'")):
            line = '\\&' + line
        out.append(line)
    return '\n'.join(out)


def main():
    binary = sys.argv[1]
    general = help_text(binary)
    lines = general.split('\n')
    title = lines[0]
    version = title.split()[1]
    start = next(i for i, l in enumerate(lines) if l.startswith('用法'))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].strip())
    usage = [l.strip() for l in lines[start + 1:end]]
    notes = '\n'.join(lines[end + 1:]).strip()
    commands = []
    for l in usage:
        words = l.split()
        if len(words) > 1 and words[0] == 'huizhan' and words[1] not in commands and words[1] not in ('version', 'help'):
            commands.append(words[1])
    w = sys.stdout.write
    w(f'.TH HUIZHAN 1 "" "huizhan {version}" "User Commands"\n')
    w('.SH NAME\nhuizhan \\- ' + roff(title.split('—', 1)[1].strip()) + '\n')
    w('.SH SYNOPSIS\n.nf\n' + roff('\n'.join(usage)) + '\n.fi\n')
    w('.SH DESCRIPTION\n' + roff(notes) + '\n')
    w('.SH COMMANDS\n')
    for c in commands:
        text = help_text(binary, c).strip().split('\n')
        # "用法：…" lines, a blank line, then the description
        blank = text.index('') if '' in text else len(text)
        w(f'.SS {c}\n.nf\n' + roff('\n'.join(t.replace('用法：', '', 1).strip() for t in text[:blank])) + '\n.fi\n')
        w('.PP\n' + roff('\n'.join(text[blank + 1:]).strip()) + '\n')
    w('.SH FILES\n.TP\n/etc/huizhan/huizhan.conf\nSettings of the service (HUIZHAN_LISTEN, HUIZHAN_DB, HUIZHAN_TRUST_PROXY, '
      'HUIZHAN_TLS_CERT, HUIZHAN_TLS_KEY, HUIZHAN_BACKUP_DIR, HUIZHAN_BACKUP_KEEP), read by huizhan.service.\n'
      '.TP\n/var/lib/huizhan/huizhan.db\nThe SQLite database of the packaged service.\n'
      '.SH SEE ALSO\n/usr/share/doc/huizhan/operations.md, journalctl(1), systemctl(1)\n')


if __name__ == '__main__':
    main()
