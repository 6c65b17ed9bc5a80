#!/usr/bin/env python3
"""Generates src/h2_huffman_table.h from the Huffman code of RFC 7541
Appendix B.

usage: gen_huffman_table.py RFC_TEXT OUT_HEADER

The code table is read from the RFC text itself, every row is checked
(bits, hex and length agree; ASCII names match their symbol), the code is
checked to be a complete prefix code, and the tables below are written:

  decoder: a finite state machine that consumes 4 bits per step. A state is
    an internal node of the code tree (256 of them, so a state fits a
    uint8_t; 0 is the root). For each (state, nibble), indexed
    state * 16 + nibble: the next state, whether a symbol is completed
    (at most one per nibble: the shortest code has 5 bits) and which, or
    whether the path reached EOS, which a string must never contain.
  accept: 1 for the nodes reached from the root by at most 7 one-bits,
    the states in which a string may end (RFC 7541 section 5.2 padding).
  encoder: each symbol's code (right-aligned) and length in bits.

The output depends only on the RFC text, so `make gen-check` can compare it
byte for byte with the committed header.
"""
import re
import sys

ROW = re.compile(
    r"^\s*(?:'(.)'\s*)?\(\s*(\d+)\)\s+\|([01|]+)\s+([0-9a-f]+)\s+\[\s*(\d+)\]\s*$")
EOS_ROW = re.compile(
    r"^\s*EOS\s+\(256\)\s+\|([01|]+)\s+([0-9a-f]+)\s+\[\s*(\d+)\]\s*$")

SYMBOLS = 257
EOS = 256
STATES = 256
NIBBLE_BITS = 4

FLAG_NONE = 0
FLAG_EMIT = 1
FLAG_FAIL = 2


def fail(msg):
    sys.stderr.write("gen_huffman_table: %s\n" % msg)
    sys.exit(1)


def parse(text):
    """Returns codes[sym] = (code, length) from the Appendix B table."""
    start = text.find("Appendix B.  Huffman Code\n\n")
    end = text.find("Appendix C.  Examples\n\n")
    if start < 0 or end < start:
        fail("Appendix B not found")
    codes = {}
    for line in text[start:end].splitlines():
        m = ROW.match(line)
        if m:
            char, sym, bits, hexcode, length = m.groups()
            sym = int(sym)
            if char is not None and ord(char) != sym:
                fail("row %d is named %r" % (sym, char))
        else:
            m = EOS_ROW.match(line)
            if not m:
                continue
            bits, hexcode, length = m.groups()
            sym = EOS
        bits = bits.replace("|", "")
        length = int(length)
        code = int(hexcode, 16)
        if len(bits) != length or int(bits, 2) != code:
            fail("row %d: bits, hex and length disagree" % sym)
        if sym in codes:
            fail("row %d appears twice" % sym)
        codes[sym] = (code, length)
    if sorted(codes) != list(range(SYMBOLS)):
        fail("expected rows 0..256, got %d rows" % len(codes))
    return codes


def build_tree(codes):
    """Code tree: internal nodes numbered breadth first (root 0), each a
    pair of children, a child being ('node', id) or ('leaf', symbol)."""
    root = {}
    for sym in range(SYMBOLS):
        code, length = codes[sym]
        node = root
        for i in range(length - 1, -1, -1):
            bit = (code >> i) & 1
            if not isinstance(node, dict):
                fail("code of %d extends the code of symbol %d" % (sym, node))
            if i == 0:
                if bit in node:
                    fail("code of %d is a prefix of another code" % sym)
                node[bit] = sym
            else:
                node = node.setdefault(bit, {})
    # Breadth first numbering; every internal node must have both children.
    order = [root]
    ids = {id(root): 0}
    i = 0
    while i < len(order):
        node = order[i]
        i += 1
        for bit in (0, 1):
            if bit not in node:
                fail("the code is not complete")
            child = node[bit]
            if isinstance(child, dict):
                ids[id(child)] = len(order)
                order.append(child)
    if len(order) != STATES:
        fail("expected %d internal nodes, got %d" % (STATES, len(order)))
    tree = []
    for node in order:
        pair = []
        for bit in (0, 1):
            child = node[bit]
            if isinstance(child, dict):
                pair.append(("node", ids[id(child)]))
            else:
                pair.append(("leaf", child))
        tree.append(pair)
    return tree


def build_fsm(tree):
    nxt, sym, flags = [], [], []
    for state in range(STATES):
        for nibble in range(1 << NIBBLE_BITS):
            node, out, flag = state, 0, FLAG_NONE
            for i in range(NIBBLE_BITS - 1, -1, -1):
                kind, value = tree[node][(nibble >> i) & 1]
                if kind == "node":
                    node = value
                elif value == EOS:
                    node, out, flag = 0, 0, FLAG_FAIL
                    break
                else:
                    if flag == FLAG_EMIT:
                        fail("two symbols in one nibble")
                    node, out, flag = 0, value, FLAG_EMIT
            nxt.append(node)
            sym.append(out)
            flags.append(flag)
    accept = [0] * STATES
    node = 0
    for _ in range(8):
        accept[node] = 1
        kind, node = tree[node][1]
        if kind != "node":
            fail("fewer than 8 one-bits lead to a symbol")
    return nxt, sym, flags, accept


def c_array(ctype, name, values, per_line, fmt):
    lines = ["static const %s %s[%d] = {" % (ctype, name, len(values))]
    for i in range(0, len(values), per_line):
        chunk = values[i:i + per_line]
        lines.append("    " + ", ".join(fmt % v for v in chunk) + ",")
    lines.append("};")
    return "\n".join(lines) + "\n"


def main(argv):
    if len(argv) != 3:
        fail("usage: gen_huffman_table.py RFC_TEXT OUT_HEADER")
    with open(argv[1], encoding="utf-8", errors="replace") as f:
        text = f.read()
    codes = parse(text)
    kraft = sum(2 ** (32 - codes[s][1]) for s in range(SYMBOLS))
    if kraft != 2 ** 32:
        fail("the code lengths do not form a complete code")
    tree = build_tree(codes)
    nxt, sym, flags, accept = build_fsm(tree)
    min_len = min(codes[s][1] for s in range(SYMBOLS))
    max_len = max(codes[s][1] for s in range(SYMBOLS))
    if min_len <= NIBBLE_BITS or max_len > 30:
        fail("code lengths outside 5..30")

    out = []
    out.append("""/*
 * Generated from RFC 7541 Appendix B by tools/gen_huffman_table.py.
 * Do not edit; `make gen-check` compares it with a fresh run.
 *
 * Decoder: a state machine consuming 4 bits per step. A state is an
 * internal node of the code tree (0 is the root). For state s and nibble n,
 * entry [s * 16 + n] gives the next state, a flag (0: no symbol completed,
 * 1: symbol h2_huffman_sym[...] completed, 2: the bits reached EOS) and
 * the completed symbol.
 * h2_huffman_accept[s] is 1 when s is reached from the root by at most 7
 * one-bits: a string may end there (RFC 7541 section 5.2).
 * Encoder: code of each symbol (256 is EOS), aligned to the least
 * significant bit, and its length in bits (5 to 30).
 */
#ifndef H2_HUFFMAN_TABLE_H
#define H2_HUFFMAN_TABLE_H

#include <stdint.h>

""")
    out.append(c_array("uint8_t", "h2_huffman_next", nxt, 16, "%3d"))
    out.append("\n")
    out.append(c_array("uint8_t", "h2_huffman_flags", flags, 16, "%d"))
    out.append("\n")
    out.append(c_array("uint8_t", "h2_huffman_sym", sym, 16, "%3d"))
    out.append("\n")
    out.append(c_array("uint8_t", "h2_huffman_accept", accept, 16, "%d"))
    out.append("\n")
    out.append(c_array("uint32_t", "h2_huffman_code",
                       [codes[s][0] for s in range(SYMBOLS)], 6, "0x%08xu"))
    out.append("\n")
    out.append(c_array("uint8_t", "h2_huffman_code_len",
                       [codes[s][1] for s in range(SYMBOLS)], 16, "%2d"))
    out.append("\n#endif\n")
    with open(argv[2], "w", encoding="ascii", newline="\n") as f:
        f.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
