#!/usr/bin/env python3
"""Writes a linker symbol-ordering file from callgrind profiles (issue 18).

    order_from_callgrind.py BINARY OUT GROUP...

Each GROUP is one or more callgrind output files joined by commas. The functions of the first group
come first, hottest first (by their own instruction count), then those of the second group not yet
listed, and so on. Only names the binary defines as code are kept: callgrind also names functions of
shared libraries and addresses without a symbol, which the linker cannot place.
"""
import re
import subprocess
import sys

NAME = re.compile(r"^(c?fn)=\((\d+)\)(?: (.*))?$")


def self_costs(path):
    """Function name -> its own instruction count (calls' inclusive costs are not counted)."""
    names, costs = {}, {}
    current, skip_next = None, False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = NAME.match(line)
            if m:
                kind, ident, name = m.groups()
                if name:
                    names[ident] = name
                if kind == "fn":
                    current = names.get(ident)
                continue
            if line.startswith("calls="):
                skip_next = True  # the next cost line is the call's inclusive cost
                continue
            if line and (line[0].isdigit() or line[0] in "+-*") and current:
                if skip_next:
                    skip_next = False
                    continue
                parts = line.split()
                if len(parts) >= 2 and parts[1].isdigit():
                    # callgrind marks recursion levels and contexts with a ' suffix.
                    name = re.sub(r"'\d+$", "", current)
                    costs[name] = costs.get(name, 0) + int(parts[1])
    return costs


def code_symbols(binary):
    out = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    return {p[2] for p in (l.split(" ", 2) for l in out.splitlines()) if len(p) == 3 and p[1] in "tTwW"}


def main():
    binary, out, groups = sys.argv[1], sys.argv[2], sys.argv[3:]
    known = code_symbols(binary)
    listed, order = set(), []
    for group in groups:
        costs = {}
        for path in group.split(","):
            for name, cost in self_costs(path).items():
                costs[name] = costs.get(name, 0) + cost
        for name in sorted(costs, key=lambda n: -costs[n]):
            if name in known and name not in listed:
                listed.add(name)
                order.append(name)
        print(f"{group}: {len(costs)} functions run, {len(order)} listed so far", file=sys.stderr)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(order) + "\n")


if __name__ == "__main__":
    main()
