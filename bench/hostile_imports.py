"""Benchmark: `import_records` on the hostile files of issue 12 and on a valid 100,000-row file, with
the peak memory and wall time of each run, written to docs/benchmarks.md ("Hostile imports (issue 12)").

Not a test. Run it with the database to use, for instance:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dev_imports .venv/bin/python bench/hostile_imports.py

It works in a throw-away test database (test_<name>) that it creates and drops. The files are made
in a temporary directory:

- a 50 MB CSV of about 1.4 million employee rows, every one wrong (an INSZ that fails its check);
- a 300 KB XLSX whose shared strings hold one 300 MB text (A1);
- a 100 KB XLSX with 40 MB of shared strings, and a 1 MB one with about 400 MB;
- a 45 MB CSV of one line, and an XLSX of 30 MB of different shared strings (compressed only a
  few times, so the archive checks pass and the streaming count must refuse it);
- a valid file of 100,000 employment rows (with the organisations and persons it needs).

Each import runs as its own process under /usr/bin/time -v (maximum resident set size, elapsed wall
time); target: at most 400 MB and 120 s, a clear message, nothing imported.
"""

import argparse
import datetime
import io
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/>'
    "</sheets></workbook>"
)
WORKBOOK_RELS = (
    f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC_RELS}/worksheet" '
    f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_xlsx(target, sheet_chunks, string_chunks, *, level: int = 6) -> None:
    """A workbook as Excel makes it (text in shared strings), its two large parts written from
    iterables of byte chunks, so that a part of hundreds of megabytes is never held whole."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, text in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ):
            archive.writestr(name, text)
        for name, chunks in (("xl/sharedStrings.xml", string_chunks), ("xl/worksheets/sheet1.xml", sheet_chunks)):
            with archive.open(name, "w", force_zip64=True) as part:
                for chunk in chunks:
                    part.write(chunk)


def xlsx_bytes(rows: list[list], *, level: int = 6) -> bytes:
    """A small workbook of these rows: texts as shared strings, whole numbers as numbers."""
    strings: dict[str, int] = {}
    sheet = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}"><sheetData>']
    for number, row in enumerate(rows, start=1):
        cells = []
        for position, value in enumerate(row):
            ref = f"{_column(position)}{number}"
            if isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                index = strings.setdefault(str(value), len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
        sheet.append(f'<row r="{number}">{"".join(cells)}</row>')
    sheet.append("</sheetData></worksheet>")
    shared = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'
    ]
    shared.extend(f"<si><t>{_escape(text)}</t></si>" for text in strings)
    shared.append("</sst>")
    buffer = io.BytesIO()
    write_xlsx(buffer, [s.encode() for s in sheet], [s.encode() for s in shared], level=level)
    return buffer.getvalue()


def _one_cell_sheet(columns=("insz", "first_name", "last_name")):
    header = "".join(f'<c r="{_column(n)}1" t="s"><v>{n + 1}</v></c>' for n in range(len(columns)))
    yield (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}"><sheetData>'
        f'<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2">{header}</row></sheetData></worksheet>'
    ).encode()


def _strings(head: list[str], body, count: int):
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'.encode()
    yield from body
    for text in head:
        yield f"<si><t>{text}</t></si>".encode()
    yield b"</sst>"


def huge_string_xlsx(path: Path, megabytes: int = 300) -> None:
    """One text of `megabytes` MB in A1 (issue 12, item 2)."""
    block = b"a" * (1024 * 1024)

    def body():
        yield b"<si><t>"
        for _ in range(megabytes):
            yield block
        yield b"</t></si>"

    write_xlsx(path, _one_cell_sheet(), _strings(["insz", "first_name", "last_name"], body(), 4), level=9)


def many_strings_xlsx(path: Path, megabytes: int) -> None:
    """`megabytes` MB of short shared strings (issue 12, item 3: openpyxl parses each one)."""
    one = b"<si><t>x</t></si>"
    per_block = (1024 * 1024) // len(one)
    block = one * per_block
    count = per_block * megabytes

    def body():
        for _ in range(megabytes):
            yield block

    write_xlsx(path, _one_cell_sheet(), _strings(["insz", "first_name", "last_name"], body(), count + 3), level=9)


def distinct_strings_xlsx(path: Path, megabytes: int) -> None:
    """`megabytes` MB of different short shared strings: compressed only a few times, so the archive
    checks let it through and the streaming count must refuse it."""

    def body():
        size, n = 0, 0
        while size < megabytes * 1024 * 1024:
            chunk = "".join(f"<si><t>{n + k}</t></si>" for k in range(10_000)).encode()
            n += 10_000
            size += len(chunk)
            yield chunk

    write_xlsx(path, _one_cell_sheet(), _strings(["insz", "first_name", "last_name"], body(), 0), level=6)


def long_line_csv(path: Path, megabytes: int = 45) -> None:
    """A header, then one line of `megabytes` MB without a line break."""
    with open(path, "w") as handle:
        handle.write("insz,first_name,last_name\n")
        handle.writelines("a" * (1024 * 1024) for _ in range(megabytes))


def wrong_rows_csv(path: Path, megabytes: int = 50) -> int:
    """A CSV just under `megabytes` MB of employees whose INSZ fails its check (issue 12, item 1)."""
    limit = megabytes * 1024 * 1024 - 1024
    rows = 0
    with open(path, "w", newline="") as handle:
        handle.write("insz,first_name,last_name\n")
        size = 26
        while True:
            line = f"{12345600000 + rows % 99999:011d},An,Peeters{rows % 10}\n"
            if size + len(line) > limit:
                break
            handle.write(line)
            size += len(line)
            rows += 1
    return rows


def measure(arguments: list[str], environment: dict) -> dict:
    """Run `manage.py import_records ...` under /usr/bin/time -v: peak memory, wall time, outcome."""
    command = ["/usr/bin/time", "-v", sys.executable, str(ROOT / "manage.py"), "import_records", *arguments]
    completed = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=ROOT, check=False)
    err = completed.stderr
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", err).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    text = [line for line in err.splitlines() if line.strip() and not line.startswith("\t")]
    traceback = "Traceback" in err
    # The message that says why the file was refused: the file's own (row 0), or the cap's note.
    message = next(
        (line for line in text if "rij 0" in line or "Alleen de eerste" in line),
        text[0] if text else completed.stdout.strip(),
    )
    return {
        "exit": completed.returncode,
        "peak_mb": peak_kb / 1024,
        "seconds": seconds,
        "message": message,
        "last": (text[-1] if text else completed.stdout.strip()),
        "traceback": traceback,
        "stdout": completed.stdout.strip(),
    }


def run(directory: Path) -> tuple[list, dict]:
    import django

    django.setup()
    from django.db import connection

    from bench.import_bench import generate

    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{test_name}"
    environment = {**os.environ, "DATABASE_URL": url}
    try:
        from employees.models import Employee, Employment

        files = []
        rows = wrong_rows_csv(directory / "werknemers-fout.csv")
        files.append(("employees", directory / "werknemers-fout.csv", f"CSV, {rows:,} rows, every INSZ wrong (item 1)"))
        huge_string_xlsx(directory / "een-tekst-300mb.xlsx")
        files.append(("employees", directory / "een-tekst-300mb.xlsx", "XLSX, one 300 MB text in A1 (item 2)"))
        long_line_csv(directory / "een-regel-45mb.csv")
        files.append(("employees", directory / "een-regel-45mb.csv", "CSV, one line of 45 MB"))
        many_strings_xlsx(directory / "teksten-40mb.xlsx", 40)
        files.append(("employees", directory / "teksten-40mb.xlsx", "XLSX, 40 MB of shared strings (item 3)"))
        many_strings_xlsx(directory / "teksten-400mb.xlsx", 400)
        files.append(("employees", directory / "teksten-400mb.xlsx", "XLSX, 400 MB of shared strings (item 3)"))
        distinct_strings_xlsx(directory / "verschillende-teksten-30mb.xlsx", 30)
        label = "XLSX, 30 MB of different shared strings (1.42 million), declared count 0 (item 3)"
        files.append(("employees", directory / "verschillende-teksten-30mb.xlsx", label))
        results = []
        for kind, path, label in files:
            figures = measure([kind, str(path)], environment)
            figures.update(
                label=label,
                file_mb=path.stat().st_size / 1024 / 1024,
                imported=Employee.objects.count(),
            )
            results.append(figures)
            print(label, {k: v for k, v in figures.items() if k != "stdout"}, flush=True)
        organisations, employees, employments = generate(100_000)
        for name, content in (("organisations", organisations), ("employees", employees), ("employments", employments)):
            (directory / f"{name}.csv").write_bytes(content)
        valid = {}
        for name in ("organisations", "employees", "employments"):
            valid[name] = measure([name, str(directory / f"{name}.csv")], environment)
            print(name, valid[name], flush=True)
        valid["employments"]["file_mb"] = len(employments) / 1024 / 1024
        valid["employments"]["imported"] = Employment.objects.count()
        return results, valid
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def write_report(results, valid, path: Path) -> str:
    from bench.import_bench import machine

    info = machine()
    with open("/proc/loadavg") as handle:
        load = handle.read().split()[0]
    lines = [
        "## Hostile imports (issue 12)",
        "",
        f"`bench/hostile_imports.py` ({datetime.date.today().isoformat()}): `python manage.py import_records` on each",
        "file, as its own process under `/usr/bin/time -v` (maximum resident set size, elapsed wall time),",
        "against PostgreSQL. Target: at most 400 MB and 120 s, a clear message, no traceback, nothing imported.",
        "",
        "| file | size | peak memory | wall time | persons imported | outcome (the command's message) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        outcome = r["message"].replace("|", "\\|")
        if r["traceback"]:
            outcome = "TRACEBACK: " + outcome
        lines.append(
            f"| {r['label']} | {r['file_mb']:.2f} MB | {r['peak_mb']:.0f} MB | {r['seconds']:.1f} s | {r['imported']} | {outcome} |"
        )
    e = valid["employments"]
    lines += [
        f"| valid employments, 100,000 rows (all new) | {e['file_mb']:.1f} MB | {e['peak_mb']:.0f} MB | {e['seconds']:.1f} s | | {e['stdout']} |",
        "",
        f"Machine: {info['nproc']} processors ({info['cpu']}), {info['memory']} memory; Python {info['python']}.",
        f"The machine was shared with other work while measuring (load average {load} at the end), so the",
        "times are an upper bound. The wall time includes starting Django (about 1 s).",
        "",
    ]
    section = "\n".join(lines)
    text = path.read_text()
    marker = "## Hostile imports (issue 12)\n"
    if marker in text:
        before, _sep, rest = text.partition(marker)
        following = rest.find("\n## ")
        text = before + section + (rest[following + 1 :] if following != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)
    return section


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        results, valid = run(Path(directory))
    if not args.no_write:
        print(write_report(results, valid, Path(args.output)))


if __name__ == "__main__":
    main()
