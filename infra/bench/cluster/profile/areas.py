"""Folds `perf script -F comm,pid,tid,ip,sym,dso` output of a cluster benchmark run: the portal nodes' samples (the
three processes with the most samples that are not redis-server) by thread, and by area: the JIT, GC threads, OpenSSL,
else the deepest frame of the portal's own code or a named library (docs/perf.md, "Compiled once")."""
import collections
import re
import sys


def samples(path):
    comm = pid = None
    frames = []
    for line in open(path, errors="replace"):
        if not line.strip():
            if comm is not None:
                yield comm, pid, frames
            comm, frames = None, []
        elif not line[0].isspace():
            m = re.match(r"^(.*?)\s+(\d+)/(-?\d+)", line)
            comm, pid, frames = (m.group(1).strip(), int(m.group(2)), []) if m else ("?", 0, [])
        else:
            parts = line.strip().split(" ", 1)
            frames.append(parts[1] if len(parts) > 1 else "")
    if comm is not None:
        yield comm, pid, frames


LIBRARY = re.compile(r"\[(Portal[A-Za-z.]*|Orleans[A-Za-z.]*|StackExchange.Redis|Microsoft.AspNetCore[A-Za-z.]*|Prometheus[A-Za-z.]*|System.Text.Json|Serilog[A-Za-z.]*)\] ([^(]*)")


def area(comm, frames):
    stack = "\n".join(frames)
    if "Tiered" in comm or "libclrjit" in stack:
        return "JIT (compiling methods)", None
    if "GC" in comm:
        return "GC threads", None
    if frames and "libcrypto" in frames[0]:
        return "OpenSSL (ECDSA verify, SHA-256)", None
    for frame in frames:
        m = LIBRARY.search(frame)
        if m:
            return m.group(1), m.group(2).strip()[:110]
    if any("[System" in f for f in frames):
        return "System.* (sockets, thread pool, tasks)", None
    return "kernel and runtime, no managed caller", None


def main(path):
    per_process = collections.Counter(pid for comm, pid, _ in samples(path) if comm != "redis-server" and pid != 0)
    # The driver (the benchmark process) has fewer samples than any node.
    nodes = {pid for pid, _ in per_process.most_common(3)}
    threads, areas, methods = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for comm, pid, frames in samples(path):
        if pid not in nodes:
            continue
        total += 1
        threads[comm] += 1
        name, method = area(comm, frames)
        areas[name] += 1
        if method and name.startswith("Portal"):
            methods[f"{name} {method}"] += 1
    print(f"{total} samples of the nodes {sorted(nodes)}")
    print("by thread:")
    for k, v in threads.most_common(6):
        print(f"  {100 * v / total:5.1f}%  {k}")
    print("by area:")
    for k, v in areas.most_common(16):
        print(f"  {100 * v / total:5.1f}%  {k}")
    print("the portal's own code, by deepest method:")
    for k, v in methods.most_common(20):
        print(f"  {100 * v / total:5.2f}%  {k}")


if __name__ == "__main__":
    main(sys.argv[1])
