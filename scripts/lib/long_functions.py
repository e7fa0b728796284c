#!/usr/bin/env python3
"""Lists the functions longer than LIMIT lines (default 80) in the crates' sources, tests
modules (`#[cfg(test)]` onwards) left out: the renovation issue's measure of function size.
Usage: python3 scripts/lib/long_functions.py [LIMIT]   (from the repository's root)"""
import os
import re
import sys

limit = int(sys.argv[1]) if len(sys.argv) > 1 else 80
found = []
for top in sorted(os.listdir("crates")):
    src = os.path.join("crates", top, "src")
    for folder, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(folder, name)
            lines = open(path, encoding="utf-8").read().split("\n")
            for i, line in enumerate(lines):
                if line.strip() == "#[cfg(test)]":
                    break
                m = re.match(r"^(\s*)(pub(\([a-z]+\))? )?(async )?fn (\w+)", line)
                if not m:
                    continue
                end = next((j for j in range(i, len(lines)) if lines[j] == m.group(1) + "}"), i)
                if end - i + 1 > limit:
                    found.append((end - i + 1, path, m.group(5)))
for length, path, function in sorted(found, reverse=True):
    print(f"{length:4} {path} {function}")
