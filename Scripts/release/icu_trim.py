#!/usr/bin/env python3
"""Writes a copy of an ICU common data package (.dat, format "CmnD") that holds only the items
Scripts/release/icu-keep.txt keeps.

Usage: icu_trim.py RULES IN.dat OUT.dat

The package is a header, a table of contents (item count, then name and data offsets from the
table's start, sorted by name for ICU's binary search) and the items, each self-contained and
16-byte aligned. Debian's icupkg would do this, but ICU 72's icupkg refuses the toolchain's ICU 76
package ("total length of item name strings too long"), so this copies the items itself.
"""
import re
import struct
import sys


def read_rules(path):
    rules = []
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        verb, _, pattern = line.partition(" ")
        if verb not in ("keep", "drop") or not pattern:
            sys.exit(f"{path}:{number}: expected 'keep REGEX' or 'drop REGEX'")
        rules.append((verb == "keep", re.compile(pattern.strip())))
    return rules


def items(data):
    header_size, magic1, magic2 = struct.unpack_from("<HBB", data, 0)
    if (magic1, magic2) != (0xDA, 0x27) or data[12:16] != b"CmnD" or data[8] != 0:
        sys.exit("not a little-endian ICU common data package")
    count = struct.unpack_from("<I", data, header_size)[0]
    toc = header_size
    entries = [struct.unpack_from("<II", data, toc + 4 + 8 * i) for i in range(count)]
    ends = [offset for _, offset in entries[1:]] + [len(data) - toc]
    for (name_offset, data_offset), end in zip(entries, ends):
        name_end = data.index(b"\0", toc + name_offset)
        yield data[toc + name_offset:name_end].decode("ascii"), data[toc + data_offset:toc + end]


def main():
    rules_path, in_path, out_path = sys.argv[1:4]
    rules = read_rules(rules_path)
    data = open(in_path, "rb").read()
    header_size = struct.unpack_from("<H", data, 0)[0]
    kept, dropped = [], 0
    for name, body in items(data):
        short = name.split("/", 1)[1]
        keep = next((k for k, pattern in rules if pattern.search(short)), True)
        if keep:
            kept.append((name, body))
        else:
            dropped += len(body)
    kept.sort(key=lambda item: item[0].encode("ascii"))
    # Layout: table of contents, the names, padding to 16, then the items each padded to 16.
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in kept)
    toc_size = 4 + 8 * len(kept)
    first_item = (toc_size + len(names) + 15) & ~15
    entries, name_at, item_at, bodies = [], toc_size, first_item, []
    for name, body in kept:
        entries.append((name_at, item_at))
        name_at += len(name) + 1
        padded = body + b"\0" * (-len(body) % 16)
        bodies.append(padded)
        item_at += len(padded)
    toc = struct.pack("<I", len(kept)) + b"".join(struct.pack("<II", n, d) for n, d in entries)
    out = data[:header_size] + toc + names + b"\0" * (first_item - toc_size - len(names)) + b"".join(bodies)
    open(out_path, "wb").write(out)
    print(f"ICU data: kept {len(kept)} items, {len(out) // 1024} KB; dropped {dropped // 1024} KB")


main()
