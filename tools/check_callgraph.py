#!/usr/bin/env python3
"""Checks the library's call graph, as GCC's -fcallgraph-info=su writes it:
no recursion (no cycle), no dynamically sized stack frame, and reports the
deepest stack any public entry point can reach."""
import glob
import re
import sys

NODE = re.compile(r'node: \{ title: "([^"]+)" label: "[^\\]*\\n[^\\]*\\n(\d+) bytes \((\w+)\)')
EXTERN = re.compile(r'node: \{ title: "([^"]+)" label: "[^"]*" shape : ellipse')
EDGE = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')


def main(obj_dir):
    frames, kinds, calls = {}, {}, {}
    files = glob.glob(obj_dir + "/*.ci")
    if not files:
        print("stack-check: no call graph files in " + obj_dir)
        return 1
    for path in files:
        with open(path) as f:
            text = f.read()
        for name, size, kind in NODE.findall(text):
            frames[name] = int(size)
            kinds[name] = kind
        for src, dst in EDGE.findall(text):
            calls.setdefault(src, set()).add(dst)
    bad = [n for n, k in kinds.items() if k != "static"]
    if bad:
        print("stack-check: frames of non-constant size: " + ", ".join(sorted(bad)))
        return 1
    depth, state = {}, {}

    def visit(root):
        # Iterative depth-first search: a grey node met again is a cycle.
        stack = [(root, iter(sorted(calls.get(root, ()))))]
        state[root] = "grey"
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                state[node] = "black"
                below = max([depth.get(c, 0) for c in calls.get(node, ())] or [0])
                depth[node] = frames.get(node, 0) + below
                continue
            if state.get(nxt) == "grey":
                raise ValueError("recursion through " + nxt)
            if nxt not in state:
                state[nxt] = "grey"
                stack.append((nxt, iter(sorted(calls.get(nxt, ())))))

    try:
        for name in sorted(frames):
            if name not in state:
                visit(name)
    except ValueError as err:
        print("stack-check: " + str(err))
        return 1
    deepest = max(depth, key=lambda n: depth[n])
    print("stack-check: %d functions, no recursion, no dynamic frames; "
          "deepest stack %d bytes from %s" % (len(frames), depth[deepest], deepest))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/gcc/obj"))
