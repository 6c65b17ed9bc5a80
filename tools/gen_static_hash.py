#!/usr/bin/env python3
"""Computes h2_hpack_static_by_hash (src/h2_hpack.c) from RFC 7541
Appendix A: for each name of the static table, the slot
((len % 128) * A + first * B + last * C) % 128 holds the name's first index,
every other slot 0. The factors must give each name a slot of its own.

usage: gen_static_hash.py RFC7541.txt            prints the table
       gen_static_hash.py RFC7541.txt --check F  compares it with source F
       gen_static_hash.py RFC7541.txt --search   lists collision-free factors
"""
import re
import sys

SLOTS = 128
FACTORS = (15, 14, 39)  # A, B, C of h2_hpack_static_hash()
ROW = re.compile(r"^\s*\|\s*(\d+)\s*\|\s*(\S+)\s*\|")


def static_names(rfc_path):
    """The first index of each distinct name, in table order."""
    with open(rfc_path) as f:
        text = f.read()
    start = text.index("Appendix A.  Static Table Definition\n\n")
    end = text.index("Appendix B.", start)
    first = {}
    index = 0
    for line in text[start:end].splitlines():
        m = ROW.match(line)
        if m:
            index += 1
            if int(m.group(1)) != index:
                raise SystemExit("gen_static_hash: rows out of order at %s" % m.group(1))
            first.setdefault(m.group(2), index)
    if index != 61:
        raise SystemExit("gen_static_hash: %d rows, expected 61" % index)
    return first


def slot_of(name, factors):
    a, b, c = factors
    raw = name.encode()
    return ((len(raw) % SLOTS) * a + raw[0] * b + raw[-1] * c) % SLOTS


def table(first, factors):
    """The slot table, or None when two names share a slot."""
    slots = [0] * SLOTS
    for name, index in first.items():
        s = slot_of(name, factors)
        if slots[s] != 0:
            return None
        slots[s] = index
    return slots


def c_rows(slots):
    return [", ".join("%du" % v for v in slots[i:i + 16]) + ","
            for i in range(0, SLOTS, 16)]


def source_rows(path):
    """The initializer rows of h2_hpack_static_by_hash in a C source."""
    with open(path) as f:
        text = f.read()
    m = re.search(r"h2_hpack_static_by_hash\[[^]]*\] = \{\n(.*?)\n\};", text, re.S)
    if m is None:
        raise SystemExit("gen_static_hash: no h2_hpack_static_by_hash in " + path)
    return [row.strip() for row in m.group(1).splitlines()]


def source_factors(path):
    """A, B, C as h2_hpack_static_hash() in a C source writes them."""
    with open(path) as f:
        text = f.read()
    m = re.search(r"\(name_len % H2_HPACK_STATIC_HASH_SLOTS\) \* (\d+)u \+\s*"
                  r"\(uint32_t\)name\[0\] \* (\d+)u \+\s*"
                  r"\(uint32_t\)name\[name_len - 1u\] \* (\d+)u", text)
    if m is None:
        raise SystemExit("gen_static_hash: no h2_hpack_static_hash in " + path)
    return tuple(int(g) for g in m.groups())


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    first = static_names(argv[1])
    if argv[2:3] == ["--search"]:
        for a in range(1, 64):
            for b in range(1, 64):
                for c in range(1, 64):
                    if table(first, (a, b, c)) is not None:
                        print(a, b, c)
        return 0
    slots = table(first, FACTORS)
    if slots is None:
        print("gen_static_hash: factors %s give two names one slot" % (FACTORS,),
              file=sys.stderr)
        return 1
    rows = c_rows(slots)
    if argv[2:3] == ["--check"]:
        same = source_rows(argv[3]) == rows and source_factors(argv[3]) == FACTORS
        return 0 if same else 1
    print("\n".join("    " + r for r in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
