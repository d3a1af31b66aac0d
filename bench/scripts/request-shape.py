#!/usr/bin/env python3
"""The peer of RequestShapeBenchmark: the argument shape that the text bundle's
http-request-shape renderer writes before a request's JSON
(bundles/org.trafficllm.text/src/main/java/org/trafficllm/text/impl/HttpRequestShape.java),
computed with Python's standard library.

    request-shape.py REQUESTS RUNS

REQUESTS holds raw HTTP requests in ISO-8859-1, separated by NUL characters. Each is
split into URL, headers and body first, untimed, as the Java benchmark times rendering
over parsed requests; then one untimed pass and RUNS timed ones compute every request's
`request.args: name length classes, ...` text. Prints one `name value` a line: the
Python version, requests, characters and CRC-32 of the texts (each followed by a line
feed, ISO-8859-1), and the median wall time (time.perf_counter) and thread CPU time
(time.thread_time) of a timed pass, in seconds.

Values are decoded with urllib.parse.unquote_plus as ISO-8859-1: the renderer decodes
UTF-8 where the bytes are valid UTF-8, which no CSIC value is. Pairs are split by hand,
not with parse_qsl, since the renderer writes names as sent, not decoded.
"""
import statistics
import sys
import time
import zlib
from urllib.parse import unquote_plus

NAME_LIMIT = 32
ARGUMENT_LIMIT = 24
CLASSES = "aA9scu"
# White space, the separators of the text and anything past ASCII are written as '?' in a name.
NAME_CHARACTERS = {c: "?" for c in list(range(0x21)) + [ord(",")] + list(range(0x7F, 0x100))}


def split(raw):
    """URL, header lines and body of one request, as HttpRequestText.parse reads them."""
    head, _, body = raw.lstrip("\r\n").partition("\r\n\r\n")
    request_line, *headers = head.split("\r\n")
    for header in headers:
        name, _, value = header.partition(":")
        if name.strip().lower() == "content-length" and int(value) < len(body):
            body = body[: int(value)]
    return request_line.split()[1], headers, body.rstrip("\r\n")


def form_encoded(headers, body):
    for header in headers:
        name, _, value = header.partition(":")
        if name.strip().lower() == "content-type":
            return value.strip().lower().startswith("application/x-www-form-urlencoded")
    return "=" in body and not body.lstrip().startswith(("{", "[", "<"))


def classes(value):
    kinds = set()
    others = []
    for c in set(value):
        if c.islower():
            kinds.add("a")
        elif c.isalpha():
            kinds.add("A")
        elif c.isdecimal():
            kinds.add("9")
        elif "\x7f" <= c <= "\x9f":
            # Before isspace: Python counts U+0085 as white space, Java as a control character.
            kinds.add("c")
        elif c.isspace():
            kinds.add("s")
        elif c < " ":
            kinds.add("c")
        elif c > "\x7f":
            kinds.add("u")
        else:
            others.append(c)
    return "".join(k for k in CLASSES if k in kinds) + "".join(sorted(others))


def argument(name, value, out, written):
    if written[0] == ARGUMENT_LIMIT:
        written[1] += 1
        return
    written[0] += 1
    name = name or "-"
    out.append(name[:NAME_LIMIT].translate(NAME_CHARACTERS) + ("~" if len(name) > NAME_LIMIT else ""))
    out.append(" %d %s, " % (len(value), classes(value)) if value else " 0, ")


def arguments(encoded, out, written):
    for pair in encoded.split("&"):
        if pair:
            name, eq, value = pair.partition("=")
            argument(name, unquote_plus(value, encoding="latin-1") if eq else None, out, written)


def shape(url, headers, body):
    out = ["request.args: "]
    written = [0, 0]
    q = url.find("?")
    if q >= 0:
        end = url.find("#", q)
        arguments(url[q + 1 : end] if end >= 0 else url[q + 1 :], out, written)
    if body:
        if form_encoded(headers, body):
            arguments(body, out, written)
        else:
            argument("body", body, out, written)
    if written[0] + written[1] == 0:
        out.append("0, ")
    elif written[1]:
        out.append("+%d, " % written[1])
    return "".join(out)


def main():
    with open(sys.argv[1], encoding="latin-1", newline="") as f:
        requests = [split(raw) for raw in f.read().split("\0")]
    runs = int(sys.argv[2])
    walls, cpus = [], []
    for run in range(1 + runs):
        wall, cpu = time.perf_counter(), time.thread_time()
        texts = [shape(url, headers, body) for url, headers, body in requests]
        if run > 0:
            walls.append(time.perf_counter() - wall)
            cpus.append(time.thread_time() - cpu)
    print("python", sys.version.split()[0])
    print("requests", len(texts))
    print("characters", sum(map(len, texts)))
    print("crc32", zlib.crc32("".join(t + "\n" for t in texts).encode("latin-1")))
    print("seconds", statistics.median(walls))
    print("cpu_seconds", statistics.median(cpus))


if __name__ == "__main__":
    main()
