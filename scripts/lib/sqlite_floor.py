"""SQLite's own floor for the directory's import: the least any SQLite loader must do.

The activity file's professionals (deduplicated, in random order) and their sites are first
parsed into an in-memory database, untimed. What is timed is SQLite alone writing them into
a new database file in one durable transaction (WAL, synchronous=FULL, as maillage does):
the two tables, the national id's unique index, the sites' commune and professional
indexes, and the commit. No driver, no validation, fewer columns and indexes than
maillage's: a lower bound, to set beside DuckDB's time on the same file.

Usage: python3 scripts/lib/sqlite_floor.py ACTIVITY_FILE WORK_DIR
"""

import csv
import os
import random
import sqlite3
import sys
import time

activity, work = sys.argv[1], sys.argv[2]
target = os.path.join(work, "sqlite-floor.db")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(target + suffix):
        os.remove(target + suffix)

db = sqlite3.connect(":memory:", isolation_level=None)
db.execute("CREATE TABLE pros (nid, civility, last_name, first_name, profession, category, specialty)")
db.execute(
    "CREATE TABLE sites (nid, mode, siret, finess, name, street, postcode, commune, phone, email, sector, role)"
)
professionals = {}
sites = []
with open(activity, encoding="utf-8", newline="") as lines:
    rows = csv.reader(lines, delimiter="|", quoting=csv.QUOTE_NONE)
    next(rows)
    for r in rows:
        professionals.setdefault(r[2], (r[2], r[3], r[7], r[8], r[9], r[11], r[15]))
        street = f"{r[28]} {r[31]} {r[32]}".strip()
        sites.append((r[2], r[17], r[19], r[21], r[24], street, r[35], r[36], r[40], r[43], r[48], r[52]))
shuffled = list(professionals.values())
random.Random(1).shuffle(shuffled)
db.executemany("INSERT INTO pros VALUES (?, ?, ?, ?, ?, ?, ?)", shuffled)
db.executemany("INSERT INTO sites VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sites)
del professionals, shuffled, sites

db.execute(f"ATTACH '{target}' AS f")
db.execute("PRAGMA f.journal_mode = WAL")
db.execute("PRAGMA f.synchronous = FULL")
db.execute("PRAGMA f.cache_size = -262144")
db.execute(
    "CREATE TABLE f.professionals (id INTEGER PRIMARY KEY, national_id TEXT NOT NULL, civility TEXT, "
    "last_name TEXT, first_name TEXT, profession TEXT, category TEXT, specialty TEXT)"
)
db.execute(
    "CREATE TABLE f.practice_sites (id INTEGER PRIMARY KEY, professional_id INTEGER, mode TEXT, "
    "siret TEXT, finess TEXT, name TEXT, street TEXT, postcode TEXT, commune TEXT, phone TEXT, "
    "email TEXT, sector TEXT, role TEXT)"
)

start = time.perf_counter()
db.execute("BEGIN")
db.execute(
    "INSERT INTO f.professionals (national_id, civility, last_name, first_name, profession, "
    "category, specialty) SELECT * FROM pros"
)
db.execute("CREATE UNIQUE INDEX f.professionals_national_id ON professionals(national_id)")
db.execute(
    "INSERT INTO f.practice_sites (professional_id, mode, siret, finess, name, street, postcode, "
    "commune, phone, email, sector, role) SELECT p.id, s.mode, s.siret, s.finess, s.name, "
    "s.street, s.postcode, s.commune, s.phone, s.email, s.sector, s.role "
    "FROM sites s JOIN f.professionals p ON p.national_id = s.nid"
)
db.execute("CREATE INDEX f.practice_sites_commune ON practice_sites(commune, professional_id)")
db.execute("CREATE INDEX f.practice_sites_professional ON practice_sites(professional_id)")
db.execute("COMMIT")
elapsed = time.perf_counter() - start
count = db.execute("SELECT COUNT(*) FROM f.practice_sites").fetchone()[0]
print(f"SQLite's floor (tables, 3 indexes, commit; parsing not timed): {elapsed:.1f} s, {count} sites")
