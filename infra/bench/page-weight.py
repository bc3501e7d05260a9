#!/usr/bin/env python3
"""Bytes a browser transfers for a public page before any video: the HTML and the css/js it references, once with
Brotli accepted and once without compression (the baseline, what the portal sent before issue 16). A running portal:
    infra/bench/page-weight.py http://127.0.0.1:5000 / /stations/1-0001 /regions/tashkent-city /watch?stations=1-0001
"""
import re, sys, urllib.request

def get(url, encoding):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request) as response:
        return response.read(), response.headers.get("Content-Encoding") or "identity"

def weigh(base, path, encoding):
    html, used = get(base + path, encoding)
    total, parts = len(html), [f"html {len(html)} ({used})"]
    # Only when the HTML is readable as is; a compressed one is weighed again plainly for its references.
    text = (html if used == "identity" else get(base + path, "identity")[0]).decode("utf-8")
    for ref in sorted(set(re.findall(r'(?:src|href)="(/?(?:css|js|lib)/[^"]+)"', text))):
        body, used = get(base + "/" + ref.lstrip("/"), encoding)
        total += len(body)
        parts.append(f"{ref} {len(body)} ({used})")
    return total, parts

base = sys.argv[1].rstrip("/")
for path in sys.argv[2:]:
    plain, _ = weigh(base, path, "identity")
    compressed, parts = weigh(base, path, "br, gzip")
    print(f"{path}: {compressed / 1024:.1f} KB with br/gzip, {plain / 1024:.1f} KB uncompressed (ratio {compressed / plain:.2f})")
    for part in parts: print("    " + part)
