#!/usr/bin/env python3
"""cpr-verify: recheck the public record of a Cyber Peer Review server, from the outside.

Written from the specification alone (process.md, section "Verifiability"); it shares
no code with the server. Python 3.11 standard library, plus the `cryptography` package
for Ed25519 signatures.

    python3 verify.py --base-url https://cpr.example.org --key 'origin+keyid+base64'
    python3 verify.py --self-test

Exit code: 0 when everything verifies, 1 when any check fails, 2 on a usage or network
error. See docs/verify.md for what each check proves, and what it cannot.
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import json
import os
import random
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

VERSION = "1"
GENESIS = "0" * 64
API = "/api/v1"
PAGE_LIMIT = 200
LEAVES_PAGE = 1000
DEFAULT_SAMPLE = 32

_ed25519 = None


def require_ed25519():
    """The Ed25519 verifier of the `cryptography` package, or a clear message and exit 2."""
    global _ed25519
    if _ed25519 is None:
        try:
            from cryptography.exceptions import InvalidSignature
            from cryptography.hazmat.primitives.asymmetric.ed25519 import (
                Ed25519PrivateKey,
                Ed25519PublicKey,
            )
        except ImportError:
            sys.stderr.write(
                "verify.py needs the Python package `cryptography` for Ed25519 signatures.\n"
                "Install it with one of:\n"
                "    python3 -m pip install cryptography\n"
                "    sudo apt-get install python3-cryptography      (Debian, Ubuntu)\n"
                "    sudo dnf install python3-cryptography          (Fedora)\n"
            )
            sys.exit(2)
        _ed25519 = (Ed25519PublicKey, Ed25519PrivateKey, InvalidSignature)
    return _ed25519


# --------------------------------------------------------------------------------------
# The spec's primitives
# --------------------------------------------------------------------------------------


def H(text: str) -> str:
    """H(x): SHA-256 of the UTF-8 bytes of the text x, as 64 lowercase hex characters."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


HEX64 = re.compile(r"^[0-9a-f]{64}$")
AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
KIND = re.compile(r"^[a-z][a-z0-9_]*$")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ACTOR = re.compile(r"^(system|state:[A-Z]{3}|(secretariat|stakeholder|oversight):" + UUID + r")$")
SPEAKER = re.compile(r"^(state:[A-Z]{3}|stakeholder:" + UUID + r")$")
ISO3 = re.compile(r"^[A-Z]{3}$")


def is_hex64(value) -> bool:
    return isinstance(value, str) and HEX64.match(value) is not None


# ---- RFC 8785 JSON Canonicalization Scheme -------------------------------------------


class JcsError(ValueError):
    pass


def es_number(value) -> str:
    """A JSON number as ECMAScript's Number.prototype.toString writes it (RFC 8785 3.2.2.3).

    JSON numbers are IEEE 754 doubles in JCS: an integer beyond 2^53 is first rounded to
    the nearest double, exactly as a JavaScript parser would."""
    if isinstance(value, bool):
        raise JcsError("a boolean is not a number")
    x = float(value)  # may raise OverflowError for huge ints: not a double either
    if x != x or x in (float("inf"), float("-inf")):
        raise JcsError("NaN and infinities have no JSON form")
    if x == 0:
        return "0"  # -0 too
    sign = "-" if x < 0 else ""
    # repr() gives the shortest digit string that round-trips, correctly rounded:
    # the digits ECMAScript's algorithm asks for.
    r = repr(abs(x))
    if "e" in r:
        mantissa, exp = r.split("e")
        exp = int(exp)
    else:
        mantissa, exp = r, 0
    ip, _, fp = mantissa.partition(".")
    allds = (ip + fp).lstrip("0")
    digits = allds.rstrip("0")
    trailing = len(allds) - len(digits)
    # value = int(digits) * 10^(exp - len(fp) + trailing)
    k = len(digits)
    n = exp - len(fp) + trailing + k  # the position of the decimal point
    if k <= n <= 21:
        out = digits + "0" * (n - k)
    elif 0 < n <= 21:
        out = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        es = ("+" if e >= 0 else "-") + str(abs(e))
        out = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + es
    return sign + out


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


_JCS_SPECIAL = re.compile('[\x00-\x1f"\\\\\ud800-\udfff]')


def _jcs_escape(m):
    ch = m.group(0)
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if 0xD800 <= ord(ch) <= 0xDFFF:
        raise JcsError("a lone surrogate is not valid Unicode")
    return "\\u%04x" % ord(ch)


def jcs_string(s: str) -> str:
    """A string as RFC 8785 writes it: only ", \\ and the controls escaped (the short forms
    where JSON has one, \\u00xx lowercase otherwise), everything else as is."""
    return '"' + _JCS_SPECIAL.sub(_jcs_escape, s) + '"'


def jcs(value) -> str:
    """RFC 8785 canonical JSON of a parsed JSON value."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        try:
            return es_number(value)
        except OverflowError as e:
            raise JcsError("number out of the range of a double") from e
    if isinstance(value, str):
        return jcs_string(value)
    if isinstance(value, list):
        return "[" + ",".join(jcs(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value.keys(), key=lambda k: k.encode("utf-16-be", "surrogatepass"))
        return "{" + ",".join(jcs_string(k) + ":" + jcs(value[k]) for k in keys) + "}"
    raise JcsError("not a JSON value: %r" % type(value))


class DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise DuplicateKey("duplicate object key %r" % k)
        out[k] = v
    return out


def parse_json(text):
    """JSON as JCS reads it: duplicate keys refused."""
    return json.loads(text, object_pairs_hook=_no_duplicates)


def payload_digest(payload) -> str:
    return H(jcs(payload))


# ---- audit chains -----------------------------------------------------------------------


def chain_hash(prev, seq, at, kind, actor, digest) -> str:
    return H("%s\n%d\n%s\n%s\n%s\n%s" % (prev, seq, at, kind, actor, digest))


def chain_type(name: str) -> str:
    return name.split("/", 1)[0]


def check_chain(name, entries, public_kind=None):
    """Every entry of one chain, in order. Returns a list of (seq, what differed); empty
    when the chain verifies. `public_kind(chain_type, kind)` says whether a kind is
    public (None when the list of public kinds is unknown)."""
    problems = []
    prev = GENESIS
    ctype = chain_type(name)
    expected = 1
    for pos, e in enumerate(entries):
        seq = e.get("seq")
        where = seq if isinstance(seq, int) else "#%d" % (pos + 1)
        if not isinstance(seq, int) or isinstance(seq, bool):
            problems.append((where, "entry %d of the listing has no integer seq" % (pos + 1)))
            continue
        if seq != expected:
            problems.append((where, "seq %d follows seq %d (entry %d of the listing): an entry is "
                             "missing, repeated or out of order" % (seq, expected - 1, pos + 1)))
        expected = seq + 1
        for field, rx in (("at", AT), ("kind", KIND), ("actor", ACTOR)):
            v = e.get(field)
            if not isinstance(v, str) or not rx.match(v):
                problems.append((seq, "%s %r is not in the spec's form" % (field, v)))
        digest = e.get("payload_digest")
        if not is_hex64(digest):
            problems.append((seq, "payload_digest %r is not 64 lowercase hex" % (digest,)))
        payload = e.get("payload")
        expected_public = public_kind(ctype, e.get("kind")) if public_kind else None
        if expected_public is not None and "public" in e and bool(e["public"]) != expected_public:
            problems.append((seq, "shown public=%s, but kind %r is %s by the rule set's list "
                             "of public kinds" % (e["public"], e.get("kind"),
                                                  "public" if expected_public else "private")))
        is_public = expected_public if expected_public is not None else bool(e.get("public"))
        if payload is not None:
            try:
                computed = payload_digest(payload)
            except JcsError as err:
                problems.append((seq, "payload has no canonical JSON form: %s" % err))
                computed = None
            if computed is not None and computed != digest:
                problems.append((seq, "payload_digest %s, but H(JCS(payload)) = %s: the payload "
                                 "shown is not the one hashed" % (digest, computed)))
        elif is_public:
            problems.append((seq, "a public entry (kind %r) is listed without its payload"
                             % e.get("kind")))
        computed_hash = chain_hash(prev, seq, e.get("at", ""), e.get("kind", ""),
                                   e.get("actor", ""), digest or "")
        if computed_hash != e.get("hash"):
            problems.append((seq, "hash %s, but H(prev\\nseq\\nat\\nkind\\nactor\\npayload_digest) "
                             "= %s (prev = %s...)" % (e.get("hash"), computed_hash, prev[:16])))
        prev = e.get("hash") if is_hex64(e.get("hash")) else computed_hash
    return problems


def derive_stages(entries):
    """The stage before and after each entry of a review chain, from its `review_opened`
    and `stage_changed` payloads. Yields (entry, before, after); before/after are None
    where the public payloads do not tell."""
    stage = None
    known = True
    for e in entries:
        before = stage if known else None
        p = e.get("payload")
        if e.get("kind") == "review_opened":
            if isinstance(p, dict) and "stage" in p:
                stage, known = p["stage"], True
            else:
                known = False
        elif e.get("kind") == "stage_changed":
            if isinstance(p, dict) and "to" in p:
                stage, known = p["to"], True
            else:
                known = False
        yield e, before, (stage if known else None)


# ---- draws ------------------------------------------------------------------------------


def draw_seed(seed, purpose, beacon_value=None):
    if beacon_value is None:
        return H("%s/%s" % (seed, purpose))
    return H("%s/%s/%s" % (seed, H(beacon_value.strip()), purpose))


def ticket(dseed, iso3):
    return H("%s:%s" % (dseed, iso3))


def wg_draw(dseed, eligible, need, seated_groups=(), own_group=None, distinct=True):
    """Steps 2 to 4. `eligible`: [(iso3, group, seats)]. Returns (ranked, result), ranked
    being [(iso3, group, seats, ticket)] in the walk's order."""
    ranked = sorted(((s, g, n, ticket(dseed, s)) for s, g, n in eligible),
                    key=lambda r: (r[2], r[3]))
    taken = []
    if own_group is not None and own_group not in seated_groups and need > 0:
        for r in ranked:
            if r[1] == own_group:
                taken.append(r)
                break
    if distinct:
        for r in ranked:
            if len(taken) >= need:
                break
            groups = set(seated_groups) | {t[1] for t in taken}
            if r[1] not in groups and r not in taken:
                taken.append(r)
    for r in ranked:
        if len(taken) >= need:
            break
        if r not in taken:
            taken.append(r)
    return ranked, [t[0] for t in taken]


def speakers_order(dseed, requests):
    return [s for _, s in sorted((H("%s:%s" % (dseed, s)), s) for s in requests)]


# ---- the transparency log (RFC 9162 2.1) ------------------------------------------------


def leaf_text(chain, seq, hsh):
    return "%s\n%d\n%s" % (chain, seq, hsh)


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


class Frontier:
    """The perfect subtrees of the tree so far (a compact range from 0): append leaf
    hashes one by one, ask the root of the current size at any point."""

    def __init__(self):
        self.stack = []  # [(height, hash)], heights decreasing
        self.size = 0

    def append(self, h: bytes):
        height = 0
        while self.stack and self.stack[-1][0] == height:
            _, left = self.stack.pop()
            h = node_hash(left, h)
            height += 1
        self.stack.append((height, h))
        self.size += 1

    def root(self) -> bytes:
        if not self.stack:
            return EMPTY_ROOT
        r = self.stack[-1][1]
        for _, h in reversed(self.stack[:-1]):
            r = node_hash(h, r)
        return r


def mth(leaves):
    """MTH of a list of leaf hashes, by the recursive definition (for the self-test)."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def inclusion_path(leaves, m):
    """PATH(m, D[n]) of RFC 9162 2.1.3.1 (the self-test's fake server)."""
    n = len(leaves)
    if n <= 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return inclusion_path(leaves[:k], m) + [mth(leaves[k:])]
    return inclusion_path(leaves[k:], m - k) + [mth(leaves[:k])]


def consistency_path(leaves, m):
    """PROOF(m, D[n]) of RFC 9162 2.1.4.1 (the self-test's fake server)."""

    def sub(m, d, b):
        n = len(d)
        if m == n:
            return [] if b else [mth(d)]
        k = 1
        while k * 2 < n:
            k *= 2
        if m <= k:
            return sub(m, d[:k], b) + [mth(d[k:])]
        return sub(m - k, d[k:], False) + [mth(d[:k])]

    if m == 0 or m == len(leaves):
        return []
    return sub(m, leaves, True)


def verify_inclusion(index, size, lh: bytes, path, root: bytes) -> bool:
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, lh
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root: bytes, second_root: bytes, path) -> bool:
    """RFC 9162 2.1.4.2."""
    if first > second:
        return False
    if first == second:
        return not path and first_root == second_root
    if first == 0:
        return not path  # the empty tree is a prefix of every tree
    path = list(path)
    if not path:
        return False
    if first & (first - 1) == 0:  # a power of two: the first tree is a subtree
        path = [first_root] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


# ---- C2SP signed notes and checkpoints --------------------------------------------------


class NoteError(ValueError):
    pass


def key_id(name: str, pub: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n" + b"\x01" + pub).digest()[:4]


def parse_vkey(line: str):
    """`<origin>+<key id, 8 hex>+<base64(0x01 || public key)>` -> (origin, key_id, pub)."""
    line = line.strip()
    parts = line.split("+", 2)
    if len(parts) != 3:
        raise NoteError("a verifier key is origin+keyid+base64, got %r" % line)
    name, kid_hex, b64 = parts
    if not name or any(c.isspace() for c in name):
        raise NoteError("the key's name is empty or has white space")
    if not re.match(r"^[0-9a-f]{8}$", kid_hex):
        raise NoteError("the key id %r is not 8 lowercase hex digits" % kid_hex)
    try:
        raw = base64.b64decode(b64, validate=True)
    except ValueError as e:
        raise NoteError("the key's base64 does not decode") from e
    if len(raw) != 33 or raw[0] != 0x01:
        raise NoteError("the key is not an Ed25519 key (0x01 followed by 32 bytes)")
    pub = raw[1:]
    if key_id(name, pub).hex() != kid_hex:
        raise NoteError("the key id %s does not match the key (expected %s)"
                        % (kid_hex, key_id(name, pub).hex()))
    return name, bytes.fromhex(kid_hex), pub


def verify_note(note: str, vkey):
    """Verifies a C2SP signed note with the verifier key; returns its text (the body).
    Signature lines of other keys are ignored; one valid signature of ours is required."""
    Ed25519PublicKey, _, InvalidSignature = require_ed25519()
    name, kid, pub = vkey
    if not note.endswith("\n"):
        raise NoteError("a signed note ends with a newline")
    sep = note.rfind("\n\n")
    if sep < 0:
        raise NoteError("no empty line between the text and its signatures")
    text = note[: sep + 1]
    sig_lines = note[sep + 2:].split("\n")[:-1]
    if not sig_lines:
        raise NoteError("no signature line")
    key = Ed25519PublicKey.from_public_bytes(pub)
    found = False
    for line in sig_lines:
        m = re.match(r"^\u2014 (\S+) (\S+)$", line)
        if not m:
            raise NoteError("malformed signature line %r" % line)
        if m.group(1) != name:
            continue
        try:
            raw = base64.b64decode(m.group(2), validate=True)
        except ValueError as e:
            raise NoteError("a signature line's base64 does not decode") from e
        if len(raw) < 5 or raw[:4] != kid:
            continue
        if len(raw) != 4 + 64:
            raise NoteError("an Ed25519 signature is 64 bytes")
        try:
            key.verify(raw[4:], text.encode("utf-8"))
        except InvalidSignature as e:
            raise NoteError("the signature of %s does not verify: the note was altered or "
                            "signed by another key" % name) from e
        found = True
    if not found:
        raise NoteError("no signature by %s (key id %s)" % (name, kid.hex()))
    return text


def parse_checkpoint(body: str):
    """C2SP tlog-checkpoint body -> (origin, size, root bytes). Extension lines are kept
    by the format; they are allowed and ignored here."""
    lines = body.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("a checkpoint is origin, size and root, each on its own line")
    origin, size, root = lines[0], lines[1], lines[2]
    if not re.match(r"^(0|[1-9][0-9]*)$", size):
        raise NoteError("the tree size %r is not a decimal without leading zeros" % size)
    try:
        raw = base64.b64decode(root, validate=True)
    except ValueError as e:
        raise NoteError("the root hash is not standard base64") from e
    if len(raw) != 32 or base64.b64encode(raw).decode() != root:
        raise NoteError("the root hash is not 32 bytes in padded standard base64")
    return origin, int(size), raw


def open_checkpoint(note: str, vkey):
    body = verify_note(note, vkey)
    origin, size, root = parse_checkpoint(body)
    if origin != vkey[0]:
        raise NoteError("the checkpoint's origin %r is not the key's %r" % (origin, vkey[0]))
    return origin, size, root


# --------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------


class Report:
    def __init__(self, out=sys.stdout, quiet=False):
        self.out = out
        self.quiet = quiet
        self.failures = 0
        self.passes = 0
        self.warnings = 0
        self.missing = []
        self.first_failures = []

    def section(self, title):
        self._p("\n== %s" % title)

    def ok(self, msg):
        self.passes += 1
        self._p("  ok    %s" % msg)

    def fail(self, msg):
        self.failures += 1
        if len(self.first_failures) < 20:
            self.first_failures.append(msg)
        self._p("  FAIL  %s" % msg, force=True)

    def warn(self, msg):
        self.warnings += 1
        self._p("  warn  %s" % msg)

    def info(self, msg):
        self._p("        %s" % msg)

    def endpoint_missing(self, path, why):
        self.missing.append(path)
        self.fail("endpoint missing: GET %s (%s); the checks that need it cannot run" % (path, why))

    def _p(self, line, force=False):
        if not self.quiet or force:
            print(line, file=self.out, flush=True)


# --------------------------------------------------------------------------------------
# Reading the public API
# --------------------------------------------------------------------------------------


class NetworkError(Exception):
    pass


class Missing(Exception):
    """404 (or 405/501): the endpoint or the resource is not there."""

    def __init__(self, path, status, body=""):
        super().__init__("%s: HTTP %d" % (path, status))
        self.path, self.status, self.body = path, status, body


class HttpError(Exception):
    def __init__(self, path, status, body=""):
        super().__init__("%s: HTTP %d %s" % (path, status, body[:200]))
        self.path, self.status, self.body = path, status, body


class Api:
    """Anonymous GETs against the server: never a token, never a cookie."""

    def __init__(self, base_url, timeout=30.0):
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.requests = 0

    def _get(self, path, params=None, accept="application/json"):
        url = self.base + path
        if params:
            url += "?" + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        req = urllib.request.Request(url, headers={"Accept": accept,
                                                   "User-Agent": "cpr-verify/" + VERSION})
        attempt = 0
        waits = 0
        while attempt < 3:
            try:
                self.requests += 1
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    return resp.read().decode("utf-8")
            except urllib.error.HTTPError as e:
                body = e.read().decode("utf-8", "replace")
                if e.code in (404, 405, 501):
                    raise Missing(path, e.code, body) from None
                # A server's rate limit: wait as long as it asks (a polite client), many
                # times if need be; it says nothing of the record.
                if e.code == 429 and waits < 100:
                    waits += 1
                    try:
                        delay = float(e.headers.get("Retry-After", "1"))
                    except ValueError:
                        delay = 1.0
                    time.sleep(min(max(delay, 0.1), 60.0))
                    continue
                if e.code in (502, 503, 504) and attempt < 2:
                    time.sleep(1 + attempt)
                    attempt += 1
                    continue
                raise HttpError(path, e.code, body) from None
            except (urllib.error.URLError, OSError) as e:
                if attempt < 2:
                    time.sleep(0.5 + attempt)
                    attempt += 1
                    continue
                raise NetworkError("%s: %s" % (url, getattr(e, "reason", e))) from None
        raise NetworkError(url)

    def text(self, path, params=None):
        return self._get(path, params, accept="text/plain")

    def json(self, path, params=None):
        body = self._get(path, params)
        try:
            return parse_json(body)
        except ValueError as e:
            raise HttpError(path, 200, "not JSON: %s" % e) from None

    def paged(self, path, params=None):
        items, cursor, pages = [], None, 0
        while True:
            q = dict(params or {})
            q["limit"] = PAGE_LIMIT
            if cursor:
                q["cursor"] = cursor
            page = self.json(path, q)
            if not isinstance(page, dict) or not isinstance(page.get("items"), list):
                raise HttpError(path, 200, "not a page {items, next}")
            items.extend(page["items"])
            cursor = page.get("next")
            pages += 1
            if not cursor or pages > 100000:
                return items


# --------------------------------------------------------------------------------------
# The verifier
# --------------------------------------------------------------------------------------


NOTE_FIELDS = ("note", "signed_note", "checkpoint", "signed", "text")


def unwrap_text(body, fields):
    """The spec serves these as text/plain; a JSON string or object holding the text is
    accepted too."""
    stripped = body.strip()
    if stripped.startswith(("{", '"')):
        try:
            doc = json.loads(stripped)
        except ValueError:
            return body
        if isinstance(doc, str):
            return doc
        if isinstance(doc, dict):
            for k in fields:
                if isinstance(doc.get(k), str):
                    return doc[k]
    return body


class Verifier:
    def __init__(self, api, vkey, report, state_path=None, all_proofs=False, sample=DEFAULT_SAMPLE,
                 wait_for_checkpoint=10.0, save_state=True):
        self.api = api
        self.vkey = vkey
        self.r = report
        self.state_path = state_path
        self.all_proofs = all_proofs
        self.sample = sample
        self.wait = wait_for_checkpoint
        self.save_state = save_state
        self.chains = {}  # name -> [entries]
        self.public_kinds = None  # chain type -> set of kinds, or "*" -> set

    # -- helpers ---------------------------------------------------------------------

    def public_kind(self, ctype, kind):
        if self.public_kinds is None:
            return None
        kinds = self.public_kinds.get(ctype, self.public_kinds.get("*"))
        if kinds is None:
            return None
        return kind in kinds

    @staticmethod
    def before(a, b):
        """Whether entry a was committed before entry b (the log's order when both carry
        a log_index, their times otherwise)."""
        if a is b:
            return False
        ia, ib = a.get("log_index"), b.get("log_index")
        if isinstance(ia, int) and isinstance(ib, int):
            return ia < ib
        return a.get("at", "") <= b.get("at", "")

    def fetch(self, what, fn, missing_ok=False):
        try:
            return fn()
        except Missing as e:
            if missing_ok:
                return None
            self.r.endpoint_missing(e.path, "HTTP %d" % e.status)
        except HttpError as e:
            if e.status in (401, 403):
                self.r.fail("GET %s is not public (HTTP %d): the verifier reads anonymously, as "
                            "anyone may" % (e.path, e.status))
            else:
                self.r.fail("GET %s answered HTTP %d: %s" % (e.path, e.status, e.body[:200]))
        return None

    # -- the run ---------------------------------------------------------------------

    def run(self):
        self.r.section("What the server publishes")
        self.load()
        for step in (self.check_chains, self.check_registers, self.check_cycles,
                     self.check_reviews, self.check_log):
            try:
                step()
            except (NetworkError, KeyboardInterrupt):
                raise
            except Exception as e:  # a malformed answer must not end the run unreported
                self.r.fail("%s could not finish: an answer of the server is malformed (%s: %s)"
                            % (step.__name__.replace("_", " "), type(e).__name__, e))
        return self.summary()

    def load(self):
        api = self.api
        self.rules = {}
        rule_list = self.fetch("rule sets", lambda: api.paged(API + "/rule-sets")) or []
        for rv in rule_list:
            self.rules[rv.get("version")] = rv.get("rules", {})
        self.states = {}
        for s in self.fetch("states", lambda: api.paged(API + "/states")) or []:
            self.states[s["code"]] = s
        self.cycles = self.fetch("cycles", lambda: api.paged(API + "/cycles")) or []
        self.reviews_listed = self.fetch("reviews", lambda: api.paged(API + "/reviews")) or []
        kinds = self.fetch("kinds", lambda: api.json(API + "/audit/kinds"))
        if kinds is not None:
            self.public_kinds = self.parse_kinds(kinds)
            if self.public_kinds is None:
                self.r.fail("GET %s/audit/kinds: an answer this verifier cannot read: %s"
                            % (API, json.dumps(kinds)[:200]))
        self.r.ok("%d states, %d rule sets, %d cycles, %d reviews listed"
                  % (len(self.states), len(self.rules), len(self.cycles), len(self.reviews_listed)))
        # Chains.
        reg = self.fetch("registry", lambda: api.paged(API + "/audit/registry"))
        if reg is not None:
            self.chains["registry"] = reg
        for c in self.cycles:
            entries = self.fetch("cycle", lambda: api.paged(API + "/cycles/%s/audit" % c["id"]))
            if entries is not None:
                self.chains["cycle/" + c["id"]] = entries
        self.reviews = {}
        self.draws = {}
        for lr in self.reviews_listed:
            rid = lr["id"]
            review = self.fetch("review", lambda: api.json(API + "/reviews/%s" % rid))
            if review is None:
                continue
            self.reviews[rid] = review
            entries = self.fetch("review chain", lambda: api.paged(API + "/reviews/%s/audit" % rid))
            if entries is not None:
                self.chains["review/" + rid] = entries
            draws = self.fetch("draws", lambda: api.paged(API + "/reviews/%s/draws" % rid))
            self.draws[rid] = draws if draws is not None else []
        # The pledge chains: every state of the register is asked (most have none).
        def pledges(code):
            try:
                return code, api.paged(API + "/states/%s/pledges/audit" % code)
            except Missing:
                return code, None
            except HttpError as e:
                return code, e
        with ThreadPoolExecutor(max_workers=8) as pool:
            for code, entries in pool.map(pledges, sorted(self.states)):
                if isinstance(entries, HttpError):
                    self.r.fail("GET %s answered HTTP %d" % (entries.path, entries.status))
                elif entries:
                    self.chains["pledges/" + code] = entries
        total = sum(len(v) for v in self.chains.values())
        self.r.ok("%d chains read, %d entries in all" % (len(self.chains), total))

    @staticmethod
    def parse_kinds(doc):
        """GET /audit/kinds -> {chain type or "*": set of public kinds}. Accepts a map of
        chain type to kinds, a list of kinds, or a list of {kind, chain(s)?, public?}."""
        if isinstance(doc, dict) and "items" in doc:
            doc = doc["items"]
        # cpr's own shape: {"chains": [{"chain": type, "public": [...], "private": [...]}]}
        if isinstance(doc, dict) and isinstance(doc.get("chains"), list):
            out = {}
            for item in doc["chains"]:
                if not isinstance(item, dict) or not isinstance(item.get("chain"), str) \
                        or not isinstance(item.get("public"), list):
                    return None
                out[item["chain"]] = set(item["public"])
            return out
        if isinstance(doc, dict):
            for key in ("public", "public_kinds", "kinds"):
                if key in doc and isinstance(doc[key], (list, dict)):
                    return Verifier.parse_kinds(doc[key])
            out = {}
            for ctype, kinds in doc.items():
                if isinstance(kinds, list) and all(isinstance(k, str) for k in kinds):
                    out[ctype] = set(kinds)
                elif isinstance(kinds, dict):
                    pub = kinds.get("public")
                    if isinstance(pub, list):
                        out[ctype] = set(pub)
                    else:
                        return None
                else:
                    return None
            return out
        if isinstance(doc, list):
            if all(isinstance(k, str) for k in doc):
                return {"*": set(doc)}
            out = {}
            for item in doc:
                if not isinstance(item, dict) or "kind" not in item:
                    return None
                if item.get("public") is False:
                    continue
                chains = item.get("chains") or ([item["chain"]] if item.get("chain") else ["*"])
                for ct in chains:
                    out.setdefault(ct, set()).add(item["kind"])
            if "*" in out:
                for ct in list(out):
                    out[ct] |= out["*"]
            return out
        return None

    # -- chains ----------------------------------------------------------------------

    def check_chains(self):
        self.r.section("Audit chains (hash = H(prev\\nseq\\nat\\nkind\\nactor\\npayload_digest))")
        if self.public_kinds is None:
            self.r.warn("the list of public kinds is not available: an entry's `public` flag "
                        "is taken as shown")
        for name in sorted(self.chains, key=lambda n: (chain_type(n) != "registry", n)):
            entries = self.chains[name]
            problems = check_chain(name, entries, self.public_kind)
            if name.startswith("review/"):
                problems += self.check_stages(entries)  # after the hash problems, which come first
            if problems:
                seq, what = problems[0]
                more = " (and %d more problems)" % (len(problems) - 1) if len(problems) > 1 else ""
                self.r.fail("%s: first broken entry seq %s: %s%s" % (name, seq, what, more))
            else:
                private = sum(1 for e in entries if e.get("payload") is None)
                self.r.ok("%s: %d entries verify (%d private payloads checked by their digest "
                          "only)" % (name, len(entries), private))

    def check_stages(self, entries):
        problems = []
        for e, before, after in derive_stages(entries):
            pl = e.get("payload")
            if e.get("kind") == "stage_changed" and isinstance(pl, dict) and before is not None \
                    and pl.get("from") != before:
                problems.append((e.get("seq"), "a stage change from %r, but the chain stood at %r"
                                 % (pl.get("from"), before)))
            for field, derived in (("stage_before", before), ("stage_after", after)):
                if field in e and derived is not None and e[field] is not None \
                        and e[field] != derived:
                    problems.append((e.get("seq"), "%s shown as %r, but the chain's stage_changed "
                                     "payloads give %r" % (field, e[field], derived)))
        return problems

    # -- registers -------------------------------------------------------------------

    def check_registers(self):
        self.r.section("The states register and its history")
        self.state_history = {}  # code -> [(entry, group or None if absent)]
        reg = self.chains.get("registry")
        if reg is None:
            self.r.fail("the registers' chain could not be read: regional groups cannot be "
                        "traced to it")
            return
        for e in reg:
            p = e.get("payload")
            if e.get("kind") in ("state_added", "state_updated") and isinstance(p, dict):
                self.state_history.setdefault(p.get("state"), []).append(e)
            elif e.get("kind") in ("state_added", "state_updated"):
                self.r.fail("registry seq %s: a %s entry without its payload: the register's "
                            "history is not public" % (e.get("seq"), e.get("kind")))
        recorded = {}
        for e in reg:
            p = e.get("payload")
            if e.get("kind") == "rules_recorded" and isinstance(p, dict):
                recorded[p.get("version")] = (e, p.get("rules"))
        for version, rules in sorted(self.rules.items(), key=lambda kv: str(kv[0])):
            if version not in recorded:
                self.r.warn("rule set %s has no rules_recorded entry in the registers' chain: it "
                            "cannot be traced to a hashed record" % version)
            elif recorded[version][1] != rules:
                self.r.fail("rule set %s as published differs from the one recorded in the "
                            "registers' chain (seq %s)" % (version, recorded[version][0].get("seq")))
            else:
                self.r.ok("rule set %s is the one recorded in the registers' chain (seq %s)"
                          % (version, recorded[version][0].get("seq")))
        for version in recorded:
            if version not in self.rules:
                self.r.fail("rule set %s is recorded in the registers' chain (seq %s) but not "
                            "published at /rule-sets" % (version, recorded[version][0].get("seq")))
        mismatched = 0
        for code, hist in self.state_history.items():
            last = hist[-1]["payload"]
            cur = self.states.get(code)
            if cur is None:
                mismatched += 1
                self.r.fail("state %s is in the registers' chain but not in the register" % code)
            elif cur.get("regional_group") != last.get("regional_group") or \
                    cur.get("name") != last.get("name"):
                mismatched += 1
                self.r.fail("state %s: the register shows %r/%r, its last chain entry (registry "
                            "seq %s) %r/%r" % (code, cur.get("name"), cur.get("regional_group"),
                                               hist[-1]["seq"], last.get("name"),
                                               last.get("regional_group")))
        if not mismatched:
            self.r.ok("%d states in the register; %d of them changed through the registers' chain, "
                      "each as its last entry says" % (len(self.states), len(self.state_history)))
        untraced = len(self.states) - len(self.state_history)
        if untraced:
            self.r.info("%d states have no entry in the registers' chain (loaded with the "
                        "database): their groups are taken from the register as published"
                        % untraced)

    def register_at(self, moment):
        """{iso3: group} of the register just before the entry `moment` was committed, and
        the codes whose group then cannot be told from public data."""
        out, unknown = {}, set()
        codes = set(self.states) | set(self.state_history)
        for code in codes:
            hist = self.state_history.get(code, [])
            past = [e for e in hist if moment is None or self.before(e, moment)]
            if past:
                out[code] = past[-1]["payload"].get("regional_group")
            elif hist:
                if hist[0].get("kind") == "state_added":
                    continue  # not yet in the register
                unknown.add(code)
                out[code] = None
            elif code in self.states:
                out[code] = self.states[code].get("regional_group")
        return out, unknown

    # -- cycles ----------------------------------------------------------------------

    def check_cycles(self):
        self.r.section("Cycles: seed commitments, beacons, pools")
        self.cycle_by_id = {c["id"]: c for c in self.cycles}
        self.pool_at = {}
        for c in self.cycles:
            cid = c["id"]
            label = "cycle %s (%s)" % (cid, c.get("name"))
            bad = []
            commit = c.get("seed_commitment")
            if not is_hex64(commit):
                bad.append("seed_commitment %r is not 64 lowercase hex" % commit)
            seed = c.get("seed")
            if seed is not None:
                if not is_hex64(seed):
                    bad.append("revealed seed %r is not 64 lowercase hex" % seed)
                elif H(seed) != commit:
                    bad.append("H(seed) = %s, but the commitment is %s" % (H(seed), commit))
            entries = self.chains.get("cycle/" + cid)
            beacon = self.check_beacon(c, entries, bad)
            if entries:
                self.check_cycle_chain(c, entries, bad)
            elif entries is not None:
                bad.append("the cycle's chain is empty")
            if bad:
                for b in bad:
                    self.r.fail("%s: %s" % (label, b))
            else:
                self.r.ok("%s: %s%s%s" % (
                    label,
                    "H(seed) matches the commitment" if seed else "seed not yet revealed "
                    "(commitment %s...)" % commit[:16],
                    "; pool as the cycle's chain records it" if entries else "",
                    ("; beacon %s / %s" % (beacon[0], beacon[1])) if beacon else "; no beacon named"))

    def check_beacon(self, c, entries, bad):
        src, ref, val = c.get("beacon_source"), c.get("beacon_reference"), c.get("beacon_value")
        if src is None and ref is None and val is None:
            return None
        if not src or not ref:
            bad.append("a beacon value without its source and reference")
            return (src, ref)
        opened = entries[0].get("payload") if entries else None
        if isinstance(opened, dict):
            for k, v in (("beacon_source", src), ("beacon_reference", ref)):
                if opened.get(k) != v:
                    bad.append("%s %r, but the cycle's opening entry recorded %r: the beacon "
                               "was not named at opening" % (k, v, opened.get(k)))
        if val is not None:
            if val != val.strip() or not val or len(val) > 256:
                bad.append("beacon_value is not trimmed text of 1 to 256 characters")
            rec = [e for e in (entries or []) if isinstance(e.get("payload"), dict)
                   and "beacon_value" in e["payload"] and e.get("seq") != 1]
            if not rec:
                bad.append("beacon_value is shown but no entry of the cycle's chain records it")
            elif rec[-1]["payload"]["beacon_value"].strip() != val:
                bad.append("beacon_value %r, but the cycle's chain recorded %r"
                           % (val, rec[-1]["payload"]["beacon_value"]))
            else:
                c["_beacon_entry"] = rec[0]
        return (src, ref)

    def check_cycle_chain(self, c, entries, bad):
        first = entries[0]
        p = first.get("payload")
        if first.get("kind") != "cycle_opened" or not isinstance(p, dict):
            bad.append("the chain does not open with a public cycle_opened entry")
            return
        for k in ("seed_commitment", "starts_on", "rule_version", "name", "holidays",
                  "beacon_source", "beacon_reference"):
            if k in p and k in c and p[k] != c[k]:
                bad.append("%s is %r, but the cycle's opening entry recorded %r" % (k, c.get(k), p[k]))
        if p.get("cycle") not in (None, c["id"]):
            bad.append("the opening entry names cycle %r" % p.get("cycle"))
        pool = set(p.get("pool") or [])
        history = [(first, set(pool))]
        for e in entries[1:]:
            q = e.get("payload")
            if e.get("kind") == "pool_changed":
                if not isinstance(q, dict):
                    bad.append("seq %s: a pool change without its payload" % e.get("seq"))
                    continue
                pool = (pool | set(q.get("added") or [])) - set(q.get("removed") or [])
                history.append((e, set(pool)))
                if c.get("seed_revealed_at") and e.get("at", "") > c["seed_revealed_at"]:
                    bad.append("seq %s: the pool changed after the seed was revealed" % e.get("seq"))
                be = c.get("_beacon_entry")
                if be is not None and self.before(be, e):
                    bad.append("seq %s: the pool changed after the beacon value froze it"
                               % e.get("seq"))
        if set(c.get("pool") or []) != pool:
            bad.append("the pool shown %s is not the one the chain arrives at %s"
                       % (sorted(c.get("pool") or []), sorted(pool)))
        self.pool_at[c["id"]] = history

    def pool_before(self, cid, moment):
        hist = self.pool_at.get(cid)
        if not hist:
            return set(self.cycle_by_id[cid].get("pool") or [])
        pool = hist[0][1]
        for e, p in hist:
            if moment is None or self.before(e, moment):
                pool = p
        return pool

    # -- reviews and draws -----------------------------------------------------------

    def check_reviews(self):
        self.r.section("Working-group draws and speakers lists (re-derived from public data)")
        # Every review's membership over time, for the look-back rule.
        self.draw_entries = {}
        for rid in self.reviews:
            chain = self.chains.get("review/" + rid, [])
            self.draw_entries[rid] = [e for e in chain if e.get("kind") == "working_group_drawn"]
        ndraws = 0
        for rid, review in sorted(self.reviews.items()):
            self.check_review_facts(rid, review)
            for d in self.draws.get(rid, []):
                ndraws += 1
                problems = self.check_draw(rid, review, d)
                label = "review %s (%s) draw %s" % (rid, review.get("state"), d.get("n"))
                if problems:
                    self.r.fail("%s: %s" % (label, problems[0]))
                    for more in problems[1:]:
                        self.r.info("also: %s" % more)
                else:
                    self.r.ok("%s: %d eligible re-derived, seats, tickets and order recomputed; "
                              "result %s" % (label, len(d.get("eligible") or []),
                                             ", ".join(d.get("result") or [])))
            self.check_membership(rid, review)
            self.check_speakers(rid, review)
        if ndraws == 0:
            self.r.info("no working-group draw yet")

    def check_review_facts(self, rid, review):
        chain = self.chains.get("review/" + rid) or []
        first = chain[0] if chain else None
        p = first.get("payload") if first else None
        label = "review %s (%s)" % (rid, review.get("state"))
        if not first or first.get("kind") != "review_opened" or not isinstance(p, dict):
            self.r.fail("%s: its chain does not open with a public review_opened entry" % label)
            return
        bad = ["%s shown %r, opened as %r" % (k, review.get(k), p[k])
               for k in ("review", "cycle", "state", "regional_group", "rule_version")
               if k in p and review.get("id" if k == "review" else k) != p[k]]
        if review.get("cycle") not in self.cycle_by_id:
            bad.append("its cycle %s is not listed" % review.get("cycle"))
        if bad:
            self.r.fail("%s: %s" % (label, "; ".join(bad)))
        else:
            self.r.ok("%s: cycle, state, regional group and rule version as its opening entry "
                      "recorded them" % label)

    def members_before(self, rid, moment, upto_n=None):
        """The members of a review's working group just before `moment` (None: now), or
        before its draw number `upto_n`."""
        members = []
        draws = sorted(self.draws.get(rid, []), key=lambda d: d.get("n", 0))
        entries = self.draw_entries.get(rid, [])
        for i, d in enumerate(draws):
            if upto_n is not None and d.get("n", 0) >= upto_n:
                break
            entry = entries[i] if i < len(entries) else None
            if moment is not None and entry is not None and not self.before(entry, moment):
                break
            reason = d.get("reason") or {}
            if reason.get("replaced") in members:
                members.remove(reason["replaced"])
            members += [s for s in d.get("result") or [] if s not in members]
        return members

    def departed_through(self, rid, n):
        return [((d.get("reason") or {}).get("replaced")) for d in self.draws.get(rid, [])
                if isinstance(d.get("n"), int) and 1 < d["n"] <= n
                and (d.get("reason") or {}).get("replaced")]

    def previous_cycles(self, cycle, lookback):
        earlier = [c for c in self.cycles if c.get("starts_on", "") < cycle.get("starts_on", "")]
        earlier.sort(key=lambda c: (c.get("starts_on", ""), c["id"]), reverse=True)
        return earlier[:lookback]

    def check_draw(self, rid, review, d):
        p = []
        n = d.get("n")
        cid = review.get("cycle")
        cycle = self.cycle_by_id.get(cid)
        if cycle is None:
            return ["its cycle %s is not listed" % cid]
        if d.get("purpose") != "wg/%s/%s" % (rid, n):
            p.append("purpose %r, expected %r" % (d.get("purpose"), "wg/%s/%s" % (rid, n)))
        seed = d.get("seed")
        if cycle.get("seed") is None:
            p.append("a draw was made but the cycle does not show its seed revealed")
        elif seed != cycle.get("seed"):
            p.append("the draw's seed is not the cycle's revealed seed")
        if not is_hex64(seed) or H(seed) != cycle.get("seed_commitment"):
            p.append("H(seed) does not match the cycle's commitment")
        # The chain entry of this draw: the n-th working_group_drawn.
        entries = self.draw_entries.get(rid, [])
        entry = entries[n - 1] if isinstance(n, int) and 0 < n <= len(entries) else None
        if entry is None:
            p.append("no working_group_drawn entry in the review's chain for this draw")
        else:
            rec = (entry.get("payload") or {}).get("record") if isinstance(entry.get("payload"), dict) \
                else None
            if rec is None:
                p.append("its chain entry (seq %s) does not show the draw record" % entry.get("seq"))
            else:
                for k, v in d.items():
                    if k in rec and rec[k] != v:
                        p.append("%s differs between GET /draws and the hashed chain entry seq %s"
                                 % (k, entry.get("seq")))
                if any(k not in d for k in rec):
                    p.append("the chain's record has fields /draws does not show: %s"
                             % sorted(k for k in rec if k not in d))
        # Beacon.
        bval = cycle.get("beacon_value")
        if cycle.get("beacon_source"):
            if bval is None:
                p.append("the cycle named a beacon but no beacon value is recorded: a draw "
                         "must be refused (beacon_value_missing)")
            for k in ("beacon_source", "beacon_reference", "beacon_value"):
                if k in d and d[k] != cycle.get(k):
                    p.append("%s %r differs from the cycle's %r" % (k, d[k], cycle.get(k)))
                elif k not in d:
                    p.append("the draw record does not publish %s" % k)
            be = cycle.get("_beacon_entry")
            if be is not None and entry is not None and not self.before(be, entry):
                p.append("the draw was made before the beacon value was recorded")
        elif d.get("beacon_value") is not None:
            p.append("the draw shows a beacon value but its cycle named no beacon")
            bval = None
        expect = d.get("draw_seed", "")
        if is_hex64(seed):
            expect = draw_seed(seed, "wg/%s/%s" % (rid, n), bval if cycle.get("beacon_source") else None)
            if d.get("draw_seed") != expect:
                p.append("draw_seed %s, but the formula gives %s" % (d.get("draw_seed"), expect))
        # Rules.
        rv = d.get("rule_version")
        if rv != cycle.get("rule_version"):
            p.append("rule_version %r is not the cycle's %r" % (rv, cycle.get("rule_version")))
        wg = (self.rules.get(rv) or {}).get("working_group")
        if wg is None:
            p.append("rule set %r is not published" % rv)
            wg = {"size": d.get("size"), "distinct_regional_groups": d.get("distinct_regional_groups"),
                  "seat_lookback_cycles": d.get("seat_lookback_cycles")}
        for k in ("size", "distinct_regional_groups", "seat_lookback_cycles"):
            if k in d and d[k] != wg.get(k):
                p.append("%s %r, but rule set %s says %r" % (k, d[k], rv, wg.get(k)))
        # Reason and seated members.
        reason = d.get("reason") or {}
        if (n == 1) != (reason.get("kind") == "initial"):
            p.append("draw %s has reason %r" % (n, reason.get("kind")))
        before = self.members_before(rid, None, upto_n=n if isinstance(n, int) else 0)
        replaced = reason.get("replaced")
        if n != 1:
            if replaced not in before:
                p.append("it replaces %r, who was not a member" % replaced)
            kind = {"excuse": "wg_member_excused", "substitution": "wg_member_substituted"}.get(
                reason.get("kind"))
            chain = self.chains.get("review/" + rid, [])
            if entry is not None and kind:
                prev = [e for e in chain if e.get("seq", 0) < entry.get("seq", 0)]
                last = prev[-1] if prev else None
                if last is None or last.get("kind") != kind or \
                        (isinstance(last.get("payload"), dict) and last["payload"].get("member") != replaced):
                    p.append("the chain entry before the draw is not %s of %s" % (kind, replaced))
        seated = [s for s in before if s != replaced]
        if sorted(d.get("seated_members") or []) != sorted(seated):
            p.append("seated_members %s, but the earlier draws leave %s"
                     % (d.get("seated_members"), seated))
        reg, unknown = self.register_at(entry)
        groups_seated = [reg.get(s) for s in (d.get("seated_members") or [])]
        if (d.get("seated_member_groups") or []) != groups_seated and not (unknown & set(seated)):
            p.append("seated_member_groups %s, but the register gives %s"
                     % (d.get("seated_member_groups"), groups_seated))
        size = wg.get("size") or d.get("size") or 3
        need = size - len(seated)
        if d.get("need") != need:
            p.append("need %r, but size %s minus %d seated is %d" % (d.get("need"), size, len(seated), need))
        sur = review.get("state")
        sur_group = review.get("regional_group")
        own = d.get("sur_asked_for_own_group")
        asked = [e for e in self.chains.get("review/" + rid, [])
                 if e.get("kind") == "own_group_member_requested"]
        if entry is not None:
            asked_before = bool(asked) and self.before(asked[0], entry)
            if asked_before != (own is not None):
                p.append("sur_asked_for_own_group is %r, but the chain %s an own_group_member_requested "
                         "entry before the draw" % (own, "holds" if asked_before else "has no"))
        if own is not None:
            if own != sur_group:
                p.append("sur_asked_for_own_group %r is not the SuR's group %r" % (own, sur_group))
            if not (review.get("working_group") or {}).get("own_group_requested"):
                p.append("the draw honours an own-group request the review does not show")
        # Step 1: the eligible list, from the register, the pool, the SuR and departures.
        pool = self.pool_before(cid, entry)
        departed = set(self.departed_through(rid, n if isinstance(n, int) else 0))
        derived = {}
        for code, g in reg.items():
            if code == sur or code in pool or code in departed or code in seated:
                continue
            derived[code] = g
        published = {e.get("iso3"): e for e in d.get("eligible") or []}
        missing = sorted(set(derived) - set(published))
        extra = sorted(set(published) - set(derived))
        if missing:
            p.append("eligible list leaves out %s" % ", ".join(missing[:10]))
        if extra:
            p.append("eligible list includes %s, who may not be drawn" % ", ".join(extra[:10]))
        # Seats in the previous cycles.
        lookback = wg.get("seat_lookback_cycles")
        lookback = 3 if lookback is None else lookback
        seats = {}
        for pc in self.previous_cycles(cycle, lookback):
            for orid, orv in self.reviews.items():
                if orv.get("cycle") != pc["id"]:
                    continue
                for s in self.members_before(orid, entry):
                    seats[s] = seats.get(s, 0) + 1
        wrong_seats, wrong_group, wrong_ticket = [], [], []
        dseed = expect  # recomputed from the committed seed (and the beacon), not as shown
        for code, e in published.items():
            if code not in derived:
                continue
            if e.get("seats_in_previous_3_cycles") != seats.get(code, 0):
                wrong_seats.append("%s shown %r, derived %d" % (code, e.get("seats_in_previous_3_cycles"),
                                                              seats.get(code, 0)))
            if code in unknown:
                derived[code] = e.get("regional_group")
            elif e.get("regional_group") != derived[code]:
                wrong_group.append("%s shown %r, register %r" % (code, e.get("regional_group"), derived[code]))
            if e.get("ticket") != ticket(dseed, code):
                wrong_ticket.append(code)
        if wrong_seats:
            p.append("seat counts differ: %s" % "; ".join(wrong_seats[:5]))
        if wrong_group:
            p.append("regional groups differ: %s" % "; ".join(wrong_group[:5]))
        if wrong_ticket:
            p.append("tickets differ from H(draw_seed:iso3) for %s" % ", ".join(wrong_ticket[:10]))
        if unknown & set(derived):
            self.r.warn("review %s draw %s: the regional group at the time of the draw of %s cannot "
                        "be told from public data (changed later, first value not on record); "
                        "the published group is used" % (rid, n, ", ".join(sorted(unknown & set(derived)))))
        # Steps 2-4 with the derived list (ticket from the recomputed draw seed).
        if is_hex64(seed):
            eligible = [(code, g, seats.get(code, 0)) for code, g in derived.items()]
            _, result = wg_draw(dseed, eligible, need, [reg.get(s) for s in seated], own,
                                bool(wg.get("distinct_regional_groups", True)))
            if result != (d.get("result") or []):
                p.append("result %s, but the draw re-run from public data gives %s"
                         % (d.get("result"), result))
        return p

    def check_membership(self, rid, review):
        wg = review.get("working_group") or {}
        if not self.draws.get(rid) and not wg.get("members"):
            return
        members = self.members_before(rid, None)
        shown = [m.get("state") for m in wg.get("members") or []]
        departed = self.departed_through(rid, 10 ** 9)
        problems = []
        asked = any(e.get("kind") == "own_group_member_requested"
                    for e in self.chains.get("review/" + rid, []))
        if "own_group_requested" in wg and bool(wg["own_group_requested"]) != asked:
            problems.append("own_group_requested shown %s, but the chain %s an "
                            "own_group_member_requested entry" % (wg["own_group_requested"],
                                                                  "holds" if asked else "has no"))
        if sorted(shown) != sorted(members):
            problems.append("members shown %s, the draws give %s" % (shown, members))
        if "departed" in wg and sorted(wg.get("departed") or []) != sorted(departed):
            problems.append("departed shown %s, the draws give %s" % (wg.get("departed"), departed))
        if "draws" in wg and wg.get("draws") != len(self.draws.get(rid, [])):
            problems.append("the review counts %s draws, %d are published" % (wg.get("draws"),
                                                                              len(self.draws.get(rid, []))))
        for m in wg.get("members") or []:
            which = [d.get("n") for d in self.draws.get(rid, []) if m.get("state") in (d.get("result") or [])]
            if which and m.get("draw") != which[-1]:
                problems.append("%s is shown seated by draw %s, drawn in %s" % (m.get("state"), m.get("draw"), which[-1]))
        if len(self.draw_entries.get(rid, [])) != len(self.draws.get(rid, [])):
            problems.append("%d draws published, %d working_group_drawn entries in the chain"
                            % (len(self.draws.get(rid, [])), len(self.draw_entries.get(rid, []))))
        label = "review %s (%s) working group" % (rid, review.get("state"))
        if problems:
            self.r.fail("%s: %s" % (label, "; ".join(problems)))
        else:
            self.r.ok("%s: members %s as the draws give them" % (label, ", ".join(members) or "none"))

    def check_speakers(self, rid, review):
        sp = (review.get("oversight") or {}).get("speakers")
        chain = self.chains.get("review/" + rid, [])
        drawn = [e for e in chain if e.get("kind") == "speakers_list_drawn"]
        if sp is None:
            if drawn:
                self.r.fail("review %s: the chain records a speakers list the review does not show" % rid)
            return
        p = []
        label = "review %s (%s) speakers list" % (rid, review.get("state"))
        cycle = self.cycle_by_id.get(review.get("cycle"), {})
        if sp.get("purpose") != "speakers/%s" % rid:
            p.append("purpose %r" % sp.get("purpose"))
        requests = sp.get("requests") or []
        for s in requests:
            if not isinstance(s, str) or not SPEAKER.match(s):
                p.append("speaker id %r is not in the spec's form" % s)
        if "state:%s" % review.get("state") in requests:
            p.append("the SuR is among the drawn requests")
        if len(set(requests)) != len(requests):
            p.append("a speaker asked twice")
        rules = (self.rules.get(review.get("rule_version") or cycle.get("rule_version")) or {}).get("oversight")
        if rules and all(isinstance(rules.get(k), int) and rules.get(k) > 0 or k == "sur_minutes"
                         for k in ("session_minutes", "sur_minutes", "speaker_minutes")):
            cap = (rules["session_minutes"] - rules["sur_minutes"]) // rules["speaker_minutes"]
            if sp.get("capacity") != cap:
                p.append("capacity %r, but floor((%d - %d) / %d) = %d" % (
                    sp.get("capacity"), rules["session_minutes"], rules["sur_minutes"],
                    rules["speaker_minutes"], cap))
        seed = sp.get("seed")
        if seed is None:
            if len(requests) > (sp.get("capacity") or 0):
                p.append("more requests than places, but no draw")
            if sp.get("order") != requests:
                p.append("undrawn, but the order is not the order of request")
        else:
            if seed != cycle.get("seed") or H(seed) != cycle.get("seed_commitment"):
                p.append("its seed is not the cycle's committed seed")
            bval = cycle.get("beacon_value") if cycle.get("beacon_source") else None
            expect = draw_seed(seed, "speakers/%s" % rid, bval)
            if sp.get("draw_seed") != expect:
                p.append("draw_seed %s, but the formula gives %s" % (sp.get("draw_seed"), expect))
            order = speakers_order(expect, requests)
            if sp.get("order") != order:
                p.append("order %s, but H(draw_seed:speaker) ascending gives %s" % (sp.get("order"), order))
        if drawn:
            asked = [e.get("actor") for e in chain if e.get("kind") == "speak_requested"
                     and e.get("seq", 0) < drawn[-1].get("seq", 0)]
            if all(isinstance(a, str) and SPEAKER.match(a) for a in asked):
                if asked != requests:
                    p.append("requests %s, but the chain holds requests to speak by %s (its "
                             "speak_requested entries, in order)" % (requests, asked))
            else:
                self.r.warn("%s: some requests to speak were recorded by someone other than the "
                            "speaker; the list of requests is checked only in number" % label)
                if len(asked) != len(requests):
                    p.append("%d requests drawn, %d speak_requested entries in the chain"
                             % (len(requests), len(asked)))
        if not drawn:
            p.append("no speakers_list_drawn entry in the chain")
        else:
            rec = drawn[-1].get("payload", {}) or {}
            rec = rec.get("record") if isinstance(rec, dict) else None
            if rec is None:
                p.append("the chain entry does not show the record")
            elif any(rec.get(k) != v for k, v in sp.items() if k in rec):
                p.append("the review shows a list other than the hashed chain entry seq %s"
                         % drawn[-1].get("seq"))
        if p:
            self.r.fail("%s: %s" % (label, "; ".join(p)))
        else:
            self.r.ok("%s: %d requests, %d places, order %s" % (
                label, len(requests), sp.get("capacity") or 0,
                "recomputed" if seed else "as requested (no draw needed)"))

    # -- the log ---------------------------------------------------------------------

    def check_log(self):
        self.r.section("Transparency log (RFC 9162 tree, C2SP signed checkpoints)")
        api = self.api
        try:
            served = unwrap_text(api.text(API + "/log/key"), ("key", "vkey", "verifier_key")).strip()
            if served != self.vkey_line:
                self.r.fail("the server publishes the key %r, not the one given %r: it may have "
                            "changed keys; trust the one you were given" % (served, self.vkey_line))
            else:
                self.r.ok("the server's /log/key is the key given (compared only, never trusted)")
        except Missing as e:
            self.r.endpoint_missing(e.path, "HTTP %d" % e.status)
        except HttpError as e:
            self.r.fail("GET %s answered HTTP %d" % (e.path, e.status))

        entries_with_index = [(name, e) for name, es in self.chains.items() for e in es]
        without = [(n, e) for n, e in entries_with_index if not isinstance(e.get("log_index"), int)]
        if without:
            n, e = without[0]
            self.r.fail("%d of %d chain entries carry no log_index (first: %s seq %s): the "
                        "listings do not tie entries to the log" % (len(without), len(entries_with_index),
                                                                   n, e.get("seq")))
        need = max([e["log_index"] + 1 for _, e in entries_with_index
                    if isinstance(e.get("log_index"), int)] or [0])

        # The latest checkpoint: wait a little for the signer to cover what we read.
        note = None
        deadline = time.time() + self.wait
        while True:
            try:
                note = unwrap_text(api.text(API + "/log/checkpoint"), NOTE_FIELDS)
            except Missing as e:
                self.r.endpoint_missing(e.path, "HTTP %d" % e.status)
                break
            except HttpError as e:
                self.r.fail("GET %s answered HTTP %d" % (e.path, e.status))
                break
            try:
                origin, size, root = open_checkpoint(note, self.vkey)
            except NoteError as err:
                self.r.fail("the latest checkpoint does not verify with the key given: %s" % err)
                note = None
                break
            if size >= need or time.time() > deadline:
                break
            time.sleep(1.0)
        ck = None
        if note is not None:
            ck = (origin, size, root)
            self.r.ok("checkpoint signed by %s: size %d, root %s" % (origin, size, root.hex()))
            if size < need:
                self.r.warn("%d entries are listed beyond the checkpoint's size %d: not yet signed "
                            "(the signer runs a few seconds after commits); rerun later"
                            % (need - size, size))

        # Every leaf.
        leaves = self.fetch_leaves(max(need, ck[1] if ck else 0))
        if leaves is not None:
            self.check_leaves(leaves, ck)
        if ck is not None and leaves is not None and len(leaves) >= ck[1]:
            self.check_proofs(leaves, ck)
        self.check_checkpoint_list(leaves, ck)
        self.check_state(leaves, ck, note)

    def fetch_leaves(self, target):
        """Leaves 0..target in pages of at most 1000 (`end` exclusive), then whatever
        follows (a leaf beyond every listed entry is an entry the listings hide)."""
        leaves = []
        start = 0
        probing = False
        while True:
            end = start + LEAVES_PAGE if probing else min(start + LEAVES_PAGE, target)
            if end <= start and not probing:
                probing = True
                continue
            try:
                page = self.api.json(API + "/log/leaves", {"start": start, "end": end})
            except Missing as e:
                if probing and start > 0:
                    break
                self.r.endpoint_missing(e.path, "HTTP %d" % e.status)
                return None
            except HttpError as e:
                if probing:
                    break
                self.r.fail("GET %s?start=%d&end=%d answered HTTP %d: %s"
                            % (e.path, start, end, e.status, e.body[:200]))
                return None
            if isinstance(page, dict) and isinstance(page.get("items"), list):
                page = page["items"]
            if not isinstance(page, list):
                self.r.fail("GET /log/leaves answered something other than a list")
                return None
            if len(page) > end - start:
                self.r.fail("GET /log/leaves?start=%d&end=%d answered %d leaves" % (start, end, len(page)))
                return None
            for leaf in page:
                if not (isinstance(leaf, dict) and isinstance(leaf.get("index"), int)
                        and isinstance(leaf.get("chain"), str) and isinstance(leaf.get("seq"), int)
                        and is_hex64(leaf.get("hash"))):
                    self.r.fail("GET /log/leaves: a leaf is not {index, chain, seq, hash}: %s"
                                % json.dumps(leaf)[:200])
                    return None
            leaves.extend(page)
            start += len(page)
            if probing:
                if len(page) < LEAVES_PAGE:
                    break
            elif len(page) < end - (start - len(page)):
                break  # fewer than asked: the log ends here
        return leaves

    def check_leaves(self, leaves, ck):
        bad = []
        for i, leaf in enumerate(leaves):
            if not isinstance(leaf, dict) or leaf.get("index") != i:
                bad.append("leaf %d is listed as index %r" % (i, leaf.get("index") if isinstance(leaf, dict) else leaf))
                break
        index = {}
        for name, es in self.chains.items():
            for e in es:
                li = e.get("log_index")
                if isinstance(li, int):
                    index.setdefault(li, []).append((name, e))
        by_key = {(name, e.get("seq")): e for name, es in self.chains.items() for e in es}
        dup = [li for li, v in index.items() if len(v) > 1]
        if dup:
            bad.append("log_index %d is given to %d entries" % (dup[0], len(index[dup[0]])))
        unknown_chains = set()
        orphans = []
        for leaf in leaves:
            if not isinstance(leaf, dict):
                continue
            key = (leaf.get("chain"), leaf.get("seq"))
            e = by_key.get(key)
            if e is None:
                if leaf.get("chain") not in self.chains:
                    unknown_chains.add(leaf.get("chain"))
                orphans.append(leaf)
                continue
            if e.get("hash") != leaf.get("hash"):
                bad.append("leaf %s (%s seq %s) holds hash %s, the chain's entry %s: the chain was "
                           "rewritten after it was logged" % (leaf.get("index"), key[0], key[1],
                                                              leaf.get("hash"), e.get("hash")))
            if e.get("log_index") != leaf.get("index"):
                bad.append("%s seq %s is leaf %s but its listing says log_index %r"
                           % (key[0], key[1], leaf.get("index"), e.get("log_index")))
        if orphans:
            o = orphans[0]
            bad.append("%d leaves name no entry the chains list (first: leaf %s, %s seq %s): an entry "
                       "was removed or a chain is not published%s" % (
                           len(orphans), o.get("index"), o.get("chain"), o.get("seq"),
                           ("; chains not listed: " + ", ".join(sorted(map(str, unknown_chains))[:5]))
                           if unknown_chains else ""))
        for name, es in self.chains.items():
            last = -1
            for e in es:
                li = e.get("log_index")
                if not isinstance(li, int):
                    continue
                if li >= len(leaves):
                    if True:
                        bad.append("%s seq %s has log_index %d, beyond the %d leaves served"
                                   % (name, e.get("seq"), li, len(leaves)))
                if li <= last:
                    bad.append("%s seq %s comes before its predecessor in the log" % (name, e.get("seq")))
                last = li
        if bad:
            for b in bad[:5]:
                self.r.fail(b)
        else:
            self.r.ok("%d leaves: each names exactly one listed entry with its hash, and every "
                      "entry is its leaf" % len(leaves))
        if ck is not None:
            origin, size, root = ck
            if len(leaves) < size:
                self.r.fail("the checkpoint covers %d leaves, the server serves %d" % (size, len(leaves)))
                return
            f = Frontier()
            for leaf in leaves[:size]:
                f.append(leaf_hash(leaf_text(leaf.get("chain"), leaf.get("seq"), leaf.get("hash")).encode()))
            if f.root() != root:
                self.r.fail("the root of the %d leaves served is %s, the signed checkpoint says %s: "
                            "the leaves are not the signed tree" % (size, f.root().hex(), root.hex()))
            else:
                self.r.ok("the root of leaves 0..%d recomputed: it is the signed root" % size)

    def check_proofs(self, leaves, ck):
        origin, size, root = ck
        if size == 0:
            return
        if self.all_proofs or size <= self.sample:
            indexes = list(range(size))
        else:
            rng = random.SystemRandom()
            indexes = sorted({0, size - 1} | set(rng.sample(range(size), self.sample)))
        failed = []
        for i in indexes:
            leaf = leaves[i]
            lh = leaf_hash(leaf_text(leaf.get("chain"), leaf.get("seq"), leaf.get("hash")).encode())
            try:
                ans = self.api.json(API + "/log/proof/inclusion", {"index": i, "size": size})
            except Missing as e:
                self.r.endpoint_missing(e.path, "HTTP %d" % e.status)
                return
            except HttpError as e:
                failed.append("leaf %d: HTTP %d" % (i, e.status))
                continue
            try:
                path = [bytes.fromhex(h) for h in ans["path"]]
            except (KeyError, TypeError, ValueError):
                failed.append("leaf %d: the proof is not {\"path\": [hex, ...]}" % i)
                continue
            if not verify_inclusion(i, size, lh, path, root):
                failed.append("leaf %d (%s seq %s): its inclusion proof does not lead to the signed root"
                              % (i, leaf.get("chain"), leaf.get("seq")))
        if failed:
            self.r.fail("%d of %d inclusion proofs fail; first: %s" % (len(failed), len(indexes), failed[0]))
        else:
            self.r.ok("%d inclusion proofs under the checkpoint verify (%s)" % (
                len(indexes), "all" if len(indexes) == size else "a random sample; --all-proofs for every one"))

    def check_checkpoint_list(self, leaves, ck):
        try:
            items = self.api.paged(API + "/log/checkpoints")
        except Missing as e:
            self.r.endpoint_missing(e.path, "HTTP %d" % e.status)
            return
        except HttpError as e:
            self.r.fail("GET %s answered HTTP %d" % (e.path, e.status))
            return
        notes = []
        bad = []
        for item in items:
            note = item
            if isinstance(item, dict):
                note = next((item[k] for k in NOTE_FIELDS if isinstance(item.get(k), str)), None)
            if not isinstance(note, str):
                bad.append("an item that holds no signed note: %s" % json.dumps(item)[:120])
                continue
            try:
                o, s, r = open_checkpoint(note, self.vkey)
            except NoteError as err:
                bad.append("a checkpoint that does not verify: %s" % err)
                continue
            notes.append((s, r))
        by_size = {}
        for s, r in notes:
            if by_size.setdefault(s, r) != r:
                bad.append("two signed checkpoints of size %d with different roots: the log forked" % s)
        sizes = [s for s, _ in notes]
        if sizes != sorted(sizes) and sizes != sorted(sizes, reverse=True):
            bad.append("the checkpoints are not listed in order of size")
        if leaves is not None and by_size:
            f = Frontier()
            wanted = sorted(by_size)
            j = 0
            while j < len(wanted) and wanted[j] == 0:
                if by_size[0] != EMPTY_ROOT:
                    bad.append("the checkpoint of size 0 has a root other than the empty tree's")
                j += 1
            for i, leaf in enumerate(leaves):
                if j >= len(wanted):
                    break
                f.append(leaf_hash(leaf_text(leaf.get("chain"), leaf.get("seq"), leaf.get("hash")).encode()))
                while j < len(wanted) and wanted[j] == i + 1:
                    if f.root() != by_size[wanted[j]]:
                        bad.append("the checkpoint of size %d does not match the leaves served: the "
                                   "tree was rewritten after it was signed" % wanted[j])
                    j += 1
            if j < len(wanted):
                bad.append("checkpoints of size up to %d, but only %d leaves served" % (wanted[-1], len(leaves)))
        if ck is not None and by_size and by_size.get(ck[1]) != ck[2]:
            bad.append("the latest checkpoint (size %d) is not among those listed" % ck[1])
        if bad:
            for b in bad[:5]:
                self.r.fail("checkpoints: " + b)
        else:
            self.r.ok("%d checkpoints listed: each signed with the key, each a prefix of the leaves "
                      "served, so each later one extends the earlier" % len(notes))

    def check_state(self, leaves, ck, note):
        if self.state_path is None:
            return
        old = None
        if os.path.exists(self.state_path):
            try:
                with open(self.state_path, encoding="utf-8") as f:
                    old = json.load(f)
            except (OSError, ValueError) as e:
                self.r.fail("the state file %s cannot be read: %s" % (self.state_path, e))
                return
        if ck is None:
            if old:
                self.r.fail("no verified checkpoint today: the one kept in %s (size %s) cannot be "
                            "compared" % (self.state_path, old.get("size")))
            return
        origin, size, root = ck
        if old:
            try:
                o_origin, o_size, o_root = old["origin"], int(old["size"]), bytes.fromhex(old["root"])
                if old.get("note"):
                    if open_checkpoint(old["note"], self.vkey) != (o_origin, o_size, o_root):
                        raise ValueError("its signed note is not the size and root it records")
            except (KeyError, ValueError, NoteError) as e:
                self.r.fail("the state file %s holds no valid checkpoint: %s" % (self.state_path, e))
                return
            if o_origin != origin:
                self.r.fail("the state file is for log %r, this key is for %r" % (o_origin, origin))
                return
            if o_size > size:
                self.r.fail("the tree shrank: %d leaves last time (kept in %s), %d now. A log "
                            "never shrinks: entries were removed" % (o_size, self.state_path, size))
                return
            if o_size == size and o_root != root:
                self.r.fail("the log forked: size %d had root %s last time, %s now (both signed)"
                            % (size, o_root.hex(), root.hex()))
                return
            ok = True
            if o_size < size:
                try:
                    ans = self.api.json(API + "/log/proof/consistency", {"from": o_size, "size": size})
                    path = [bytes.fromhex(h) for h in ans["path"]]
                    if not verify_consistency(o_size, size, o_root, root, path):
                        self.r.fail("the consistency proof from size %d to %d does not verify: "
                                    "today's tree does not extend the one seen last time" % (o_size, size))
                        ok = False
                except Missing as e:
                    self.r.endpoint_missing(e.path, "HTTP %d" % e.status)
                    ok = False
                except (HttpError, KeyError, TypeError, ValueError) as e:
                    self.r.fail("the consistency proof from %d to %d could not be read: %s" % (o_size, size, e))
                    ok = False
            if leaves is not None and len(leaves) >= o_size:
                f = Frontier()
                for leaf in leaves[:o_size]:
                    f.append(leaf_hash(leaf_text(leaf.get("chain"), leaf.get("seq"), leaf.get("hash")).encode()))
                if f.root() != o_root:
                    self.r.fail("the first %d leaves served today do not give the root kept from last "
                                "time: the earlier part of the log was rewritten" % o_size)
                    ok = False
            if not ok:
                return
            self.r.ok("today's checkpoint (size %d) extends the one kept from %s (size %d)"
                      % (size, old.get("checked_at", "last time"), o_size))
        else:
            self.r.info("no earlier checkpoint kept: today's is saved in %s for the next run"
                        % self.state_path)
        if self.save_state and self.r.failures == 0:
            data = {"origin": origin, "size": size, "root": root.hex(),
                    "root_base64": base64.b64encode(root).decode(), "note": note,
                    "checked_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "base_url": self.api.base}
            tmp = self.state_path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=1)
                f.write("\n")
            os.replace(tmp, self.state_path)
            self.r.info("checkpoint of size %d kept in %s" % (size, self.state_path))
        elif self.save_state:
            self.r.info("the state file is left as it was, since something failed")

    def summary(self):
        r = self.r
        r.section("Summary")
        r._p("  %d checks passed, %d failed, %d warnings (%d requests to %s)"
             % (r.passes, r.failures, r.warnings, self.api.requests, self.api.base), force=True)
        if r.missing:
            r._p("  endpoints missing: %s" % ", ".join(sorted(set(r.missing))), force=True)
        if r.failures:
            r._p("  RESULT: FAILED — the public record does not verify (see FAIL lines above)", force=True)
            return 1
        r._p("  RESULT: everything verified", force=True)
        return 0


# --------------------------------------------------------------------------------------
# Self-test: the spec's vectors, reproduced, and tampered copies, caught
# --------------------------------------------------------------------------------------

# RFC 8785 Appendix B: IEEE 754 doubles (as hex bits) and their canonical form.
JCS_NUMBERS = [
    ("0000000000000000", "0"), ("8000000000000000", "0"), ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"), ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"), ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"), ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"), ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"), ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"), ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"), ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"), ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"), ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"), ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]
# RFC 8785 3.2.2 and 3.2.3: a whole object, and the sorting of keys by UTF-16 code units.
JCS_OBJECT_IN = ('{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
                 ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
                 ' "literals": [null, true, false]}')
JCS_OBJECT_OUT = ('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
                  '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}')
JCS_SORT_IN = ('{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",'
               ' "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",'
               ' "\\u00f6": "Latin Small Letter O With Diaeresis"}')
JCS_SORT_ORDER = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


class SelfTest:
    def __init__(self, vectors_path):
        self.path = vectors_path
        self.passed = 0
        self.failed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
            print("  ok    %s" % what)
        else:
            self.failed += 1
            print("  FAIL  %s" % what)

    def caught(self, detected, what):
        """A tampered copy: the check must fail."""
        self.check(detected, "tampered, caught: %s" % what)

    def run(self):
        require_ed25519()
        try:
            with open(self.path, encoding="utf-8") as f:
                v = parse_json(f.read())
        except (OSError, ValueError) as e:
            print("cannot read the vectors %s: %s" % (self.path, e), file=sys.stderr)
            return 2
        print("Self-test against %s" % self.path)
        self.vectors(v)
        self.jcs_tests()
        self.mutations(v)
        self.end_to_end(v)
        print("\n  %d passed, %d failed" % (self.passed, self.failed))
        print("  RESULT: %s" % ("self-test passed" if not self.failed else "SELF-TEST FAILED"))
        return 0 if not self.failed else 1

    # -- every vector ----------------------------------------------------------------

    def vectors(self, v):
        print("\n== The spec's vectors, reproduced")
        for text, digest in v["sha256_examples"].items():
            self.check(H(text) == digest, "H(%r)" % text)
        sc = v["seed_commitment"]
        self.check(H(sc["seed"]) == sc["commitment"], "seed commitment H(seed)")
        seed = sc["seed"]
        wg = v["wg_draws"]
        for name, case in wg["cases"].items():
            ds = draw_seed(seed, case["purpose"])
            self.check(ds == case["draw_seed"], "wg_draws.%s: draw_seed" % name)
            elig = [(e["iso3"], e["regional_group"], e["seats_in_previous_3_cycles"]) for e in case["eligible"]]
            tickets_ok = all(ticket(ds, e["iso3"]) == e["ticket"] for e in case["eligible"])
            self.check(tickets_ok, "wg_draws.%s: %d tickets" % (name, len(elig)))
            seats_ok = all(e["seats_in_previous_3_cycles"] == wg["seats_in_previous_3_cycles"].get(e["iso3"], 0)
                           for e in case["eligible"])
            self.check(seats_ok, "wg_draws.%s: seat counts from seats_in_previous_3_cycles" % name)
            ranked, result = wg_draw(ds, elig, case["need"], case["seated_member_groups"],
                                     case["sur_asked_for_own_group"])
            self.check([r[0] for r in ranked] == case["ranked_order"], "wg_draws.%s: ranked order" % name)
            self.check(result == case["result"], "wg_draws.%s: result %s" % (name, result))
        # Step 1 from a register: every state of the first draw, the pool and the SuR.
        first = wg["cases"]["first_draw"]
        register = {e["iso3"]: e["regional_group"] for e in first["eligible"]}
        for s in wg["pool"]:
            register.setdefault(s, "Western European and Other States")
        register[wg["sur"]] = wg["sur_regional_group"]
        derived = sorted(s for s in register if s != wg["sur"] and s not in wg["pool"])
        self.check(derived == sorted(e["iso3"] for e in first["eligible"]),
                   "wg_draws: eligible list of the first draw re-derived from register, pool and SuR")
        rep = wg["cases"]["replacement_after_excuse"]
        derived = sorted(s for s in derived if s not in rep["seated_members"] and s != rep["excused"])
        self.check(derived == sorted(e["iso3"] for e in rep["eligible"]),
                   "wg_draws: eligible list of the replacement re-derived (seated and excused removed)")
        sp = v["speakers_draw"]
        ds = draw_seed(seed, sp["purpose"])
        self.check(ds == sp["draw_seed"], "speakers_draw: draw_seed")
        self.check(speakers_order(ds, sp["requests"]) == sp["order"], "speakers_draw: order")
        ac = v["audit_chain"]
        for i, e in enumerate(ac["entries"]):
            self.check(jcs(e["payload"]) == ac["canonical_payloads"][i], "audit_chain: JCS of payload %d" % (i + 1))
            self.check(payload_digest(e["payload"]) == e["payload_digest"], "audit_chain: payload_digest %d" % (i + 1))
        self.check(check_chain("review/x", ac["entries"]) == [], "audit_chain: every hash")
        b = v["beacon_draw"]
        self.check(H(b["beacon_value"].strip()) == b["beacon_value_hash"], "beacon_draw: H(beacon_value), trimmed")
        ds = draw_seed(seed, b["purpose"], b["beacon_value"])
        self.check(ds == b["draw_seed"], "beacon_draw: draw_seed = H(seed/H(beacon)/purpose)")
        elig = [(e["iso3"], e["regional_group"], e["seats_in_previous_3_cycles"]) for e in first["eligible"]]
        ranked, result = wg_draw(ds, elig, first["need"], first["seated_member_groups"], first["sur_asked_for_own_group"])
        self.check([r[0] for r in ranked] == b["ranked_order"], "beacon_draw: ranked order")
        self.check(result == b["result"], "beacon_draw: result %s" % result)
        t = v["transparency_log"]
        lhs = []
        for leaf in t["leaves"]:
            text = leaf_text(leaf["chain"], leaf["seq"], leaf["hash"])
            self.check(text == leaf["leaf_text"] and leaf_hash(text.encode()).hex() == leaf["leaf_hash"],
                       "transparency_log: leaf %d text and hash" % leaf["index"])
            lhs.append(leaf_hash(text.encode()))
        for size, root in t["roots"].items():
            f = Frontier()
            for h in lhs[: int(size)]:
                f.append(h)
            self.check(f.root().hex() == root and mth(lhs[: int(size)]).hex() == root,
                       "transparency_log: root of size %s" % size)
        for p in t["inclusion_proofs"]:
            path = [bytes.fromhex(h) for h in p["path"]]
            root = bytes.fromhex(t["roots"][str(p["size"])])
            self.check(verify_inclusion(p["index"], p["size"], lhs[p["index"]], path, root)
                       and [h.hex() for h in inclusion_path(lhs[: p["size"]], p["index"])] == p["path"],
                       "transparency_log: inclusion proof of leaf %d in size %d" % (p["index"], p["size"]))
        for p in t["consistency_proofs"]:
            path = [bytes.fromhex(h) for h in p["path"]]
            r1 = bytes.fromhex(t["roots"][str(p["from"])])
            r2 = bytes.fromhex(t["roots"][str(p["size"])])
            self.check(verify_consistency(p["from"], p["size"], r1, r2, path)
                       and [h.hex() for h in consistency_path(lhs[: p["size"]], p["from"])] == p["path"],
                       "transparency_log: consistency proof %d -> %d" % (p["from"], p["size"]))
        # Every inclusion and consistency proof of trees up to 17 leaves, both ways.
        hs = [leaf_hash(b"%d" % i) for i in range(17)]
        roots = [mth(hs[:n]) for n in range(18)]
        inc_ok = all(verify_inclusion(i, n, hs[i], inclusion_path(hs[:n], i), roots[n])
                     for n in range(1, 18) for i in range(n))
        inc_bad = not any(verify_inclusion(i, n, hs[(i + 1) % n] if n > 1 else bytes(32),
                                           inclusion_path(hs[:n], i), roots[n])
                          for n in range(1, 18) for i in range(n))
        self.check(inc_ok and inc_bad, "RFC 9162 inclusion proofs: every leaf of every tree up to 17 "
                   "leaves verifies, and fails for another leaf")
        con_ok = all(verify_consistency(m, n, roots[m], roots[n], consistency_path(hs[:n], m))
                     for n in range(1, 18) for m in range(1, n + 1))
        con_bad = not any(verify_consistency(m, n, roots[m], roots[n - 1], consistency_path(hs[:n], m))
                          for n in range(2, 18) for m in range(1, n))
        self.check(con_ok and con_bad, "RFC 9162 consistency proofs: every pair of sizes up to 17 "
                   "verifies, and fails against another root")
        known = t["rfc6962_known_roots"]
        klh = [leaf_hash(bytes.fromhex(x)) for x in known["leaves_hex"]]
        for size, root in known["roots"].items():
            self.check(mth(klh[: int(size)]).hex() == root, "RFC 6962 known root of size %s" % size)
        cp = t["checkpoint"]
        _, Priv, _ = require_ed25519()
        priv = Priv.from_private_bytes(bytes.fromhex(cp["test_private_key_hex"]))
        from cryptography.hazmat.primitives import serialization
        pub = priv.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.check(pub.hex() == cp["public_key_hex"], "checkpoint: public key of the test private key")
        vkey_line = "%s+%s+%s" % (cp["origin"], key_id(cp["origin"], pub).hex(),
                                  base64.b64encode(b"\x01" + pub).decode())
        self.check(vkey_line == cp["vkey"], "checkpoint: verifier key line")
        vkey = parse_vkey(cp["vkey"])
        body = "%s\n%d\n%s\n" % (cp["origin"], 7, base64.b64encode(bytes.fromhex(t["roots"]["7"])).decode())
        self.check(body == cp["body"], "checkpoint: body")
        sig = priv.sign(body.encode())
        note = body + "\n\u2014 %s %s\n" % (cp["origin"], base64.b64encode(key_id(cp["origin"], pub) + sig).decode())
        self.check(note == cp["signed_note"], "checkpoint: signed note, byte for byte")
        o, s, r = open_checkpoint(cp["signed_note"], vkey)
        self.check((o, s, r.hex()) == (cp["origin"], 7, t["roots"]["7"]), "checkpoint: verifies with the key")

    def jcs_tests(self):
        print("\n== RFC 8785 canonical JSON (the RFC's own examples)")
        ok = True
        for bits, want in JCS_NUMBERS:
            got = es_number(struct.unpack(">d", bytes.fromhex(bits))[0])
            if got != want:
                ok = False
                print("        %s: %s, expected %s" % (bits, got, want))
        self.check(ok, "%d numbers of RFC 8785 Appendix B" % len(JCS_NUMBERS))
        self.check(jcs(parse_json(JCS_OBJECT_IN)) == JCS_OBJECT_OUT, "the object of RFC 8785 3.2.2")
        obj = json.loads(JCS_SORT_IN)
        keys = [k for k in parse_json(jcs(obj))]
        self.check(keys == JCS_SORT_ORDER, "keys sorted by UTF-16 code units (RFC 8785 3.2.3)")
        self.check(jcs(10 ** 21) == "1e+21" and jcs(2 ** 53 + 1) == "9007199254740992" and jcs(-0.0) == "0",
                   "integers beyond 2^53 round as doubles do")
        try:
            parse_json('{"a": 1, "a": 2}')
            self.check(False, "duplicate keys refused")
        except DuplicateKey:
            self.check(True, "duplicate keys refused")

    # -- tampered vectors ------------------------------------------------------------

    def mutations(self, v):
        print("\n== Tampered copies of the vectors must fail")
        ac = v["audit_chain"]["entries"]

        def chain_fails(mut, what):
            es = copy.deepcopy(ac)
            mut(es)
            self.caught(check_chain("review/x", es) != [], what)

        chain_fails(lambda es: es[1].__setitem__("hash", es[1]["hash"][:-1] + ("0" if es[1]["hash"][-1] != "0" else "1")),
                    "audit_chain: one hash flipped")
        chain_fails(lambda es: es[1]["payload"].__setitem__("words", 4211), "audit_chain: a payload field changed")
        chain_fails(lambda es: es[2].__setitem__("actor", "state:DEU"), "audit_chain: an actor changed")
        chain_fails(lambda es: es.pop(1), "audit_chain: an entry removed")
        chain_fails(lambda es: es.reverse(), "audit_chain: entries reordered")
        chain_fails(lambda es: es[0].__setitem__("at", "2027-01-15T09:00:01Z"), "audit_chain: a time changed")
        es = copy.deepcopy(ac)
        es[0]["public"] = False
        self.caught(check_chain("review/x", es, lambda ct, k: k in ("review_opened", "stage_changed",
                                                                    "report_submitted")) != [],
                    "audit_chain: a stored public flag changed (against the list of public kinds)")
        es = copy.deepcopy(ac)
        es[2]["payload"] = None
        self.caught(check_chain("review/x", es, lambda ct, k: True) != [],
                    "audit_chain: a public payload withheld")
        seed = v["seed_commitment"]["seed"]
        self.caught(H(seed[:-1] + "0") != v["seed_commitment"]["commitment"], "seed: another seed against the commitment")
        first = v["wg_draws"]["cases"]["first_draw"]
        elig = [(e["iso3"], e["regional_group"], e["seats_in_previous_3_cycles"]) for e in first["eligible"]]
        ds = draw_seed(seed, first["purpose"])
        mod = [(s, g, (1 if s == "FSM" else n)) for s, g, n in elig]
        self.caught(wg_draw(ds, mod, 3)[1] != first["result"], "wg_draws: a seat count changed (FSM 0 -> 1)")
        mod = [x for x in elig if x[0] != "HRV"]
        self.caught(wg_draw(ds, mod, 3)[1] != first["result"], "wg_draws: a state left out of the eligible list")
        self.caught(wg_draw(draw_seed(seed, first["purpose"], "another value"), elig, 3)[1] != first["result"],
                    "beacon: another beacon value")
        t = v["transparency_log"]
        lhs = [leaf_hash(leaf_text(l["chain"], l["seq"], l["hash"]).encode()) for l in t["leaves"]]
        root7 = bytes.fromhex(t["roots"]["7"])
        bad = list(lhs)
        bad[5] = leaf_hash(leaf_text("review/01935c5e-7a1b-7c3d-8e4f-5a6b7c8d9e0f", 2, "0" * 64).encode())
        self.caught(mth(bad) != root7, "transparency_log: one leaf's hash changed")
        self.caught(mth(lhs[:6]) != root7, "transparency_log: the last leaf cut")
        p = t["inclusion_proofs"][0]
        path = [bytes.fromhex(h) for h in p["path"]]
        self.caught(not verify_inclusion(p["index"], p["size"], lhs[1], path, root7),
                    "inclusion: a proof offered for another leaf")
        path2 = list(path)
        path2[1] = bytes(32)
        self.caught(not verify_inclusion(p["index"], p["size"], lhs[0], path2, root7), "inclusion: a path node changed")
        c = t["consistency_proofs"][2]
        r1 = bytes.fromhex(t["roots"][str(c["from"])])
        cpath = [bytes.fromhex(h) for h in c["path"]]
        self.caught(not verify_consistency(c["from"], c["size"], r1, bytes.fromhex(t["roots"]["6"]), cpath),
                    "consistency: a proof against another root (a fork)")
        self.caught(not verify_consistency(c["from"], c["size"], bytes(32), root7, cpath),
                    "consistency: an earlier root the log never had")
        self.caught(not verify_consistency(7, 5, root7, bytes.fromhex(t["roots"]["5"]), []),
                    "consistency: a tree that shrank")
        cp = t["checkpoint"]
        vkey = parse_vkey(cp["vkey"])
        forged = cp["signed_note"].replace("\n7\n", "\n8\n")
        self.caught(self.note_fails(forged, vkey), "checkpoint: the size changed under the signature")
        forged = cp["signed_note"].replace("hwhA", "hwhB")
        self.caught(self.note_fails(forged, vkey), "checkpoint: the root changed under the signature")
        _, Priv, _ = require_ed25519()
        other = Priv.from_private_bytes(bytes(32))
        sig = other.sign(cp["body"].encode())
        kid = key_id(cp["origin"], bytes.fromhex(cp["public_key_hex"]))
        forged = cp["body"] + "\n\u2014 %s %s\n" % (cp["origin"], base64.b64encode(kid + sig).decode())
        self.caught(self.note_fails(forged, vkey), "checkpoint: signed by another key under our key id")
        try:
            parse_vkey(cp["vkey"].replace("+203b4be4+", "+203b4be5+"))
            self.caught(False, "verifier key: a wrong key id")
        except NoteError:
            self.caught(True, "verifier key: a wrong key id")

    @staticmethod
    def note_fails(note, vkey):
        try:
            open_checkpoint(note, vkey)
            return False
        except NoteError:
            return True

    # -- a whole server, in memory ---------------------------------------------------

    def end_to_end(self, v):
        print("\n== A whole record in memory, verified by the same code as a live run, then tampered")
        world = FakeWorld(v)
        code, out = world.verify(state=True)
        self.check(code == 0, "the untouched record verifies (%s)" % out.splitlines()[-1].strip())
        if code != 0:
            print("\n".join("        " + l for l in out.splitlines() if "FAIL" in l))
        # A second run with the kept state checks consistency against the first.
        code, out = world.verify(state=True, grow=True)
        self.check(code == 0 and "extends the one kept" in out,
                   "a second run, after the log grew, proves it extends the checkpoint kept")
        world.cleanup()
        for what, mutate, expect in FakeWorld.TAMPERINGS:
            w = FakeWorld(v)
            w.verify(state=True)  # an earlier checkpoint is kept
            mutate(w)
            code, out = w.verify(state=True, keep_old=True)
            w.cleanup()
            hit = code == 1 and (expect is None or expect in out)
            self.caught(hit, what)
            if not hit:
                print("\n".join("        " + l for l in out.splitlines() if "FAIL" in l or "RESULT" in l))
        w = FakeWorld(v)
        w.missing = {"/log/leaves", "/log/checkpoint", "/log/checkpoints", "/log/key", "/audit/kinds"}
        code, out = w.verify()
        self.check(code == 1 and "endpoint missing: GET /api/v1/log/leaves" in out,
                   "log endpoints absent: a clear 'endpoint missing' failure, no crash")


class FakeApi(Api):
    """The public API, served from memory: the same paths and shapes as cpr's."""

    def __init__(self, world):
        super().__init__("memory://cpr")
        self.w = world

    def _get(self, path, params=None, accept="application/json"):
        self.requests += 1
        params = params or {}
        rel = path[len(API):]
        for m in self.w.missing:
            if rel.startswith(m):
                raise Missing(path, 404)
        w = self.w
        if rel == "/log/key":
            return w.vkey_line + "\n"
        if rel == "/log/checkpoint":
            return w.notes[-1]
        if rel == "/log/leaves":
            s, e = int(params["start"]), int(params["end"])
            return json.dumps(w.leaves[s:min(e, s + LEAVES_PAGE)])
        if rel == "/log/proof/inclusion":
            i, n = int(params["index"]), int(params["size"])
            return json.dumps({"path": [h.hex() for h in inclusion_path(w.leaf_hashes()[:n], i)]})
        if rel == "/log/proof/consistency":
            m, n = int(params["from"]), int(params["size"])
            return json.dumps({"path": [h.hex() for h in consistency_path(w.leaf_hashes()[:n], m)]})
        items = None
        if rel == "/log/checkpoints":
            items = [{"size": int(n.split("\n")[1]), "note": n} for n in w.notes]
        elif rel == "/audit/kinds":
            return json.dumps(w.kinds)
        elif rel == "/rule-sets":
            items = w.rules
        elif rel == "/states":
            items = sorted(w.states.values(), key=lambda s: s["code"])
        elif rel == "/cycles":
            items = w.cycles
        elif rel == "/reviews":
            items = [{"id": r["id"], "cycle": r["cycle"], "state": r["state"]} for r in w.reviews.values()]
        elif rel == "/audit/registry":
            items = w.chains["registry"]
        else:
            m = re.match(r"^/cycles/([^/]+)/audit$", rel)
            if m:
                items = w.chains["cycle/" + m.group(1)]
            m = m or re.match(r"^/reviews/([^/]+)$", rel)
            if m and items is None:
                return json.dumps(w.reviews[m.group(1)])
            m2 = re.match(r"^/reviews/([^/]+)/(audit|draws)$", rel)
            if m2:
                items = w.chains["review/" + m2.group(1)] if m2.group(2) == "audit" else w.draws[m2.group(1)]
            m3 = re.match(r"^/states/([A-Z]{3})/pledges/audit$", rel)
            if m3:
                items = w.chains.get("pledges/" + m3.group(1), [])
        if items is None:
            raise Missing(path, 404)
        start = int(params.get("cursor") or 0)
        limit = int(params.get("limit") or 50)
        page = items[start:start + limit]
        nxt = str(start + limit) if start + limit < len(items) else None
        return json.dumps({"items": page, "next": nxt})


class FakeWorld:
    """A small but whole record built with this script's own algorithms (already proven
    against the vectors): a register, two cycles (the later with a beacon), three reviews,
    draws with a replacement, a speakers list, a pledge chain, the log and checkpoints."""

    ORIGIN = "cpr.example.org/log"
    RULES = {"working_group": {"size": 3, "distinct_regional_groups": True, "seat_lookback_cycles": 3},
             "oversight": {"session_minutes": 60, "sur_minutes": 20, "speaker_minutes": 3}}

    def __init__(self, v):
        _, Priv, _ = require_ed25519()
        from cryptography.hazmat.primitives import serialization
        cp = v["transparency_log"]["checkpoint"]
        self.priv = Priv.from_private_bytes(bytes.fromhex(cp["test_private_key_hex"]))
        pub = self.priv.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.kid = key_id(self.ORIGIN, pub)
        self.vkey_line = "%s+%s+%s" % (self.ORIGIN, self.kid.hex(), base64.b64encode(b"\x01" + pub).decode())
        self.missing = set()
        self.chains = {}
        self.leaves = []
        self.notes = []
        self.clock = 1798790400  # 2027-01-01T00:00:00Z
        wg = v["wg_draws"]
        first = wg["cases"]["first_draw"]
        self.states = {e["iso3"]: {"code": e["iso3"], "name": e["iso3"], "regional_group": e["regional_group"]}
                       for e in first["eligible"]}
        for s in wg["pool"]:
            self.states[s] = {"code": s, "name": s, "regional_group": "Western European and Other States"}
        self.states["FRA"]["regional_group"] = wg["sur_regional_group"]
        self.rules = [{"version": 1, "rules": self.RULES}]
        self.kinds = {"review": ["review_opened", "stage_changed", "working_group_drawn", "wg_member_excused",
                                 "wg_member_substituted", "speakers_list_drawn"],
                      "cycle": ["cycle_opened", "pool_changed", "beacon_value_recorded"],
                      "registry": ["state_added", "state_updated", "rules_recorded"],
                      "pledges": ["pledge_made"]}
        self.cycles, self.reviews, self.draws = [], {}, {}
        sec = "secretariat:0193bbbb-0000-7000-8000-000000000001"
        self.append("registry", [("rules_recorded", sec, {"version": 1, "rules": self.RULES})])
        # A state added later, and one whose group changed after the first cycle's draws.
        self.append("registry", [("state_added", sec, {"state": "XKX", "name": "Kosovo",
                                                       "regional_group": "Eastern European States"})])
        self.states["XKX"] = {"code": "XKX", "name": "Kosovo", "regional_group": "Eastern European States"}
        c1 = self.open_cycle("01935c5e-0000-7000-8000-00000000c001", "2026-01-01", wg["pool"], seed=H("c1"))
        r1 = self.open_review(c1, "01935c5e-7a1b-7c3d-8e4f-000000000001", "DEU")
        r2 = self.open_review(c1, "01935c5e-7a1b-7c3d-8e4f-000000000002", "NOR")
        self.draw(r1, 1)
        r2["working_group"]["own_group_requested"] = True  # NOR asked for a WEOG member
        self.append("review/" + r2["id"], [("own_group_member_requested", "state:NOR",
                                            {"regional_group": r2["regional_group"]})])
        self.draw(r2, 1)
        self.draw(r2, 2, substituted=self.draws[r2["id"]][0]["result"][-1])
        self.sign()
        c2 = self.open_cycle("01935c5e-0000-7000-8000-00000000c002", "2027-01-01", wg["pool"][:-1],
                             seed=v["seed_commitment"]["seed"], beacon=("drand quicknet", "round 12345678"))
        self.append("cycle/" + c2["id"], [("pool_changed", sec, {"added": ["USA"], "removed": []})])
        c2["pool"] = sorted(wg["pool"])
        self.append("cycle/" + c2["id"], [("beacon_value_recorded", sec, {"beacon_value": v["beacon_draw"]["beacon_value"].strip()})])
        c2["beacon_value"] = v["beacon_draw"]["beacon_value"].strip()
        r3 = self.open_review(c2, "01935c5e-7a1b-7c3d-8e4f-5a6b7c8d9e0f", "FRA")
        self.draw(r3, 1)
        self.draw(r3, 2, excused=self.draws[r3["id"]][0]["result"][1])
        self.speakers(r3, ["state:DEU", "state:BRA", "stakeholder:0193aaaa-0000-7000-8000-000000000001",
                           "state:KEN", "stakeholder:0193aaaa-0000-7000-8000-000000000002"] +
                      ["state:%s" % s for s in ("ARG", "CHL", "PER", "MEX", "COL", "URY", "PRY", "BOL", "ECU", "GTM")])
        self.append("pledges/FRA", [("pledge_made", "state:FRA", {"pledge": "0193cccc-0000-7000-8000-000000000001",
                                                                  "text": "No attacks on hospitals.", "norms": ["13f"]})])
        self.sign()

    def tick(self):
        self.clock += 3600
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.clock))

    def append(self, chain, events):
        entries = self.chains.setdefault(chain, [])
        public = set(self.kinds[chain_type(chain)])
        at = self.tick()
        for kind, actor, payload in events:
            prev = entries[-1]["hash"] if entries else GENESIS
            seq = len(entries) + 1
            digest = payload_digest(payload)
            e = {"seq": seq, "at": at, "kind": kind, "actor": actor, "public": kind in public,
                 "payload": payload if kind in public else None, "payload_digest": digest,
                 "hash": chain_hash(prev, seq, at, kind, actor, digest), "log_index": len(self.leaves)}
            if chain.startswith("review/"):
                stage = entries[-1]["stage_after"] if entries else None
                after = payload.get("to", payload.get("stage", stage)) if kind in ("review_opened", "stage_changed") else stage
                e["stage_before"], e["stage_after"] = stage, after
            entries.append(e)
            self.leaves.append({"index": len(self.leaves), "chain": chain, "seq": seq, "hash": e["hash"]})
        return entries[-1]

    def leaf_hashes(self):
        return [leaf_hash(leaf_text(l["chain"], l["seq"], l["hash"]).encode()) for l in self.leaves]

    def sign(self):
        root = mth(self.leaf_hashes())
        body = "%s\n%d\n%s\n" % (self.ORIGIN, len(self.leaves), base64.b64encode(root).decode())
        sig = self.priv.sign(body.encode())
        self.notes.append(body + "\n\u2014 %s %s\n" % (self.ORIGIN, base64.b64encode(self.kid + sig).decode()))

    def open_cycle(self, cid, starts_on, pool, seed, beacon=None):
        c = {"id": cid, "name": "Cycle " + starts_on[:4], "starts_on": starts_on, "pool": sorted(pool),
             "rule_version": 1, "seed_commitment": H(seed), "seed": None, "seed_revealed_at": None,
             "_seed": seed}
        payload = {"cycle": cid, "name": c["name"], "starts_on": starts_on, "pool": sorted(pool), "holidays": [],
                   "rule_version": 1, "seed_commitment": H(seed)}
        if beacon:
            c["beacon_source"], c["beacon_reference"], c["beacon_value"] = beacon[0], beacon[1], None
            payload["beacon_source"], payload["beacon_reference"] = beacon
        self.append("cycle/" + cid, [("cycle_opened", "secretariat:0193bbbb-0000-7000-8000-000000000001", payload)])
        self.cycles.append(c)
        return c

    def open_review(self, cycle, rid, state):
        r = {"id": rid, "cycle": cycle["id"], "state": state, "regional_group": self.states[state]["regional_group"],
             "rule_version": 1, "stage": "state_report",
             "working_group": {"size": 3, "own_group_requested": False, "members": [], "draws": 0, "departed": []},
             "oversight": {"speakers": None}}
        self.reviews[rid] = r
        self.draws[rid] = []
        self.append("review/" + rid, [("review_opened", "secretariat:0193bbbb-0000-7000-8000-000000000001",
                                       {"review": rid, "cycle": cycle["id"], "state": state,
                                        "regional_group": r["regional_group"], "stage": "state_report",
                                        "rule_version": 1})])
        self.append("review/" + rid, [("stage_changed", "system", {"from": "state_report", "to": "stakeholder_input",
                                                                     "reason": "report_submitted"})])
        return r

    def draw(self, review, n, excused=None, substituted=None):
        """A draw as the spec makes it, from the state of the record at that moment."""
        leaving = excused or substituted
        cycle = next(c for c in self.cycles if c["id"] == review["cycle"])
        cycle["seed"] = cycle["_seed"]
        cycle["seed_revealed_at"] = cycle["seed_revealed_at"] or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.clock + 3600))
        wg = review["working_group"]
        members = [m["state"] for m in wg["members"]]
        seated = [s for s in members if s != leaving]
        earlier = sorted((c for c in self.cycles if c["starts_on"] < cycle["starts_on"]),
                         key=lambda c: (c["starts_on"], c["id"]), reverse=True)[:3]
        seats = {}
        for c in earlier:
            for r in self.reviews.values():
                if r["cycle"] == c["id"]:
                    for m in r["working_group"]["members"]:
                        seats[m["state"]] = seats.get(m["state"], 0) + 1
        departed = wg["departed"] + ([leaving] if leaving else [])
        elig = [(s, st["regional_group"], seats.get(s, 0)) for s, st in sorted(self.states.items())
                if s != review["state"] and s not in cycle["pool"] and s not in departed and s not in seated]
        purpose = "wg/%s/%d" % (review["id"], n)
        bval = cycle.get("beacon_value") if cycle.get("beacon_source") else None
        ds = draw_seed(cycle["seed"], purpose, bval)
        need = 3 - len(seated)
        groups = [self.states[s]["regional_group"] for s in seated]
        own = review["regional_group"] if wg["own_group_requested"] else None
        ranked, result = wg_draw(ds, elig, need, groups, own)
        rec = {"n": n, "purpose": purpose,
               "reason": {"kind": "initial"} if n == 1 else
               {"kind": "excuse" if excused else "substitution", "replaced": leaving},
               "seed": cycle["seed"], "draw_seed": ds, "rule_version": 1, "need": need,
               "seated_members": seated, "seated_member_groups": groups, "sur_asked_for_own_group": own,
               "eligible": [{"iso3": s, "regional_group": g, "seats_in_previous_3_cycles": k, "ticket": t}
                            for s, g, k, t in sorted(ranked)],
               "result": result, "size": 3, "distinct_regional_groups": True, "seat_lookback_cycles": 3}
        if cycle.get("beacon_source"):
            rec.update({"beacon_source": cycle["beacon_source"], "beacon_reference": cycle["beacon_reference"],
                        "beacon_value": cycle["beacon_value"]})
        events = []
        if excused:
            events.append(("wg_member_excused", "state:" + excused, {"member": excused}))
        if substituted:
            events.append(("wg_member_substituted", "state:" + review["state"], {"member": substituted}))
        events.append(("working_group_drawn", "secretariat:0193bbbb-0000-7000-8000-000000000001", {"record": rec}))
        self.append("review/" + review["id"], events)
        self.draws[review["id"]].append(copy.deepcopy(rec))
        if leaving:
            wg["departed"].append(leaving)
        wg["members"] = [m for m in wg["members"] if m["state"] != leaving] + \
            [{"state": s, "regional_group": self.states[s]["regional_group"], "draw": n} for s in result]
        wg["draws"] = n

    def speakers(self, review, requests):
        cycle = next(c for c in self.cycles if c["id"] == review["cycle"])
        for r in requests:
            self.append("review/" + review["id"], [("speak_requested", r, {"speaker": r})])
        purpose = "speakers/" + review["id"]
        ds = draw_seed(cycle["seed"], purpose, cycle.get("beacon_value"))
        rec = {"purpose": purpose, "seed": cycle["seed"], "draw_seed": ds, "requests": requests,
               "capacity": 13, "order": speakers_order(ds, requests)}
        self.append("review/" + review["id"], [("speakers_list_drawn", "secretariat:0193bbbb-0000-7000-8000-000000000001",
                                                {"record": rec})])
        review["oversight"]["speakers"] = copy.deepcopy(rec)

    def cleanup(self):
        for path in (getattr(self, "_state", None),):
            if path and os.path.exists(path):
                os.unlink(path)

    def public_cycles(self):
        return [{k: v for k, v in c.items() if not k.startswith("_")} for c in self.cycles]

    def verify(self, state=False, grow=False, keep_old=False):
        import io
        import tempfile
        if grow:
            self.append("registry", [("rules_recorded", "secretariat:0193bbbb-0000-7000-8000-000000000001",
                                      {"version": 2, "rules": self.RULES})])
            self.rules.append({"version": 2, "rules": copy.deepcopy(self.RULES)})
            self.sign()
        if not hasattr(self, "_state"):
            fd, self._state = tempfile.mkstemp(suffix=".json")
            os.close(fd)
            os.unlink(self._state)
        saved_cycles = self.cycles
        self.cycles = self.public_cycles()
        out = io.StringIO()
        rep = Report(out=out)
        ver = Verifier(FakeApi(self), parse_vkey(self.vkey_line), rep,
                       state_path=self._state if state else None, all_proofs=True, wait_for_checkpoint=0)
        ver.vkey_line = self.vkey_line
        try:
            code = ver.run()
        finally:
            self.cycles = saved_cycles
        return code, out.getvalue()

    # Each: what is done to the record after a first verified run, and a phrase the
    # report must contain (None: any failure).
    @staticmethod
    def _flip(h):
        return h[:-1] + ("0" if h[-1] != "0" else "1")

    @staticmethod
    def _review(w):
        return w.chains["review/01935c5e-7a1b-7c3d-8e4f-5a6b7c8d9e0f"]

    @staticmethod
    def _rewrite_tail(w, chain, from_seq):
        es = w.chains[chain]
        for e in es[from_seq - 1:]:
            prev = es[e["seq"] - 2]["hash"] if e["seq"] > 1 else GENESIS
            e["hash"] = chain_hash(prev, e["seq"], e["at"], e["kind"], e["actor"], e["payload_digest"])

    def _t_edit_entry(w):
        e = FakeWorld._review(w)[0]
        e["payload"]["state"] = "DEU"

    def _t_flip_hash(w):
        e = FakeWorld._review(w)[1]
        e["hash"] = FakeWorld._flip(e["hash"])

    def _t_cut_tail(w):
        FakeWorld._review(w).pop()

    def _t_rewrite_consistently(w):
        es = FakeWorld._review(w)
        es[2]["at"] = "2027-06-01T00:00:00Z"
        FakeWorld._rewrite_tail(w, "review/01935c5e-7a1b-7c3d-8e4f-5a6b7c8d9e0f", 3)

    def _t_rewrite_and_relog(w):
        # The operator rewrites the tail, the leaves and signs again: the kept checkpoint
        # (and the earlier checkpoints listed) expose it.
        name = "review/01935c5e-7a1b-7c3d-8e4f-000000000001"
        es = w.chains[name]
        es[0]["at"] = "2026-01-01T00:00:00Z"
        FakeWorld._rewrite_tail(w, name, 1)
        for e in es:
            w.leaves[e["log_index"]]["hash"] = e["hash"]
        w.notes = []
        w.sign()

    def _t_seat_count(w):
        d = w.draws["01935c5e-7a1b-7c3d-8e4f-5a6b7c8d9e0f"][0]
        d["eligible"][0]["seats_in_previous_3_cycles"] += 1

    def _t_result(w):
        d = w.draws["01935c5e-7a1b-7c3d-8e4f-5a6b7c8d9e0f"][0]
        d["result"] = list(reversed(d["result"]))

    def _t_wg_seat(w):
        # A seat of the earlier cycle changed behind the record (the private wg_seats row).
        r = w.reviews["01935c5e-7a1b-7c3d-8e4f-000000000001"]
        r["working_group"]["members"][0]["state"] = "AFG"

    def _t_public_flag(w):
        e = FakeWorld._review(w)[1]
        e["public"] = False
        e["payload"] = None

    def _t_stage(w):
        FakeWorld._review(w)[1]["stage_after"] = "working_group"

    def _t_pool(w):
        w.cycles[1]["pool"] = [s for s in w.cycles[1]["pool"] if s != "USA"]

    def _t_seed(w):
        w.cycles[1]["seed"] = H("another seed")

    def _t_register(w):
        w.states["XKX"]["regional_group"] = "Asia-Pacific States"

    def _t_beacon(w):
        w.cycles[1]["beacon_value"] = "another value"

    def _t_speakers(w):
        sp = w.reviews["01935c5e-7a1b-7c3d-8e4f-5a6b7c8d9e0f"]["oversight"]["speakers"]
        sp["order"] = sorted(sp["order"])

    def _t_shrink(w):
        w.leaves.pop()
        w.chains["pledges/FRA"].pop()
        w.sign()

    def _t_rule_set(w):
        w.rules[0] = {"version": 1, "rules": copy.deepcopy(FakeWorld.RULES)}
        w.rules[0]["rules"]["working_group"]["seat_lookback_cycles"] = 2

    def _t_review_group(w):
        w.reviews["01935c5e-7a1b-7c3d-8e4f-5a6b7c8d9e0f"]["regional_group"] = "African States"

    def _t_own_group(w):
        w.reviews["01935c5e-7a1b-7c3d-8e4f-000000000002"]["working_group"]["own_group_requested"] = False

    def _t_speak_request(w):
        sp = w.reviews["01935c5e-7a1b-7c3d-8e4f-5a6b7c8d9e0f"]["oversight"]["speakers"]
        sp["requests"] = sp["requests"][1:]
        sp["order"] = [s for s in sp["order"] if s in sp["requests"]]

    def _t_bad_signature(w):
        w.notes[-1] = w.notes[-1].replace("\n%d\n" % len(w.leaves), "\n%d\n" % (len(w.leaves) + 1))

    TAMPERINGS = [
        ("one stored entry edited (a payload field)", _t_edit_entry, "H(JCS(payload))"),
        ("one hash flipped in a fetched chain", _t_flip_hash, "first broken entry seq 2"),
        ("the last entry of a chain deleted (cut tail)", _t_cut_tail, "name no entry"),
        ("a tail rewritten consistently (every later hash recomputed)", _t_rewrite_consistently, "rewritten"),
        ("a chain, its leaves and a new checkpoint all rewritten", _t_rewrite_and_relog, "forked"),
        ("a seat count in a draw record", _t_seat_count, "seat counts differ"),
        ("a draw's result", _t_result, "re-run from public data"),
        ("an earlier working group's seat changed", _t_wg_seat, "members shown"),
        ("a stored public flag changed", _t_public_flag, "public kinds"),
        ("a stored stage_after changed", _t_stage, "stage_after"),
        ("the pool shown differs from its chain", _t_pool, "pool shown"),
        ("the seed swapped", _t_seed, "commitment"),
        ("a regional group edited behind the register's chain", _t_register, "its last chain entry"),
        ("the beacon value changed", _t_beacon, "beacon"),
        ("the speakers order changed", _t_speakers, "speakers list"),
        ("the tree shrank (last leaf and entry removed, re-signed)", _t_shrink, "shrank"),
        ("a checkpoint's size changed under its signature", _t_bad_signature, "does not verify"),
        ("a published rule set edited behind its chain entry", _t_rule_set, "differs from the one recorded"),
        ("a review's regional group shown otherwise than opened", _t_review_group, "opened as"),
        ("an own-group request hidden on the review", _t_own_group, "own_group_requested shown"),
        ("a request to speak left out of the speakers list", _t_speak_request, "requests to speak by"),
    ]


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def default_vectors():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "tests", "fixtures", "vectors.json"))


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="verify.py",
        description="Recheck the public record of a cpr server: seed commitments, beacons, "
                    "working-group and speakers draws, every audit chain, and the signed "
                    "transparency log. Anonymous: it uses no token.",
        epilog="Exit code 0: everything verified; 1: something failed; 2: usage or network error.")
    ap.add_argument("--base-url", help="the server, e.g. https://cpr.example.org")
    ap.add_argument("--key", help="the published verifier key line: origin+keyid+base64")
    ap.add_argument("--key-file", help="a file holding the verifier key line")
    ap.add_argument("--state", default="./cpr-verify-state.json",
                    help="where the last verified checkpoint is kept (default %(default)s)")
    ap.add_argument("--no-state", action="store_true", help="neither read nor write a state file")
    ap.add_argument("--all-proofs", action="store_true", help="check every leaf's inclusion proof, "
                    "not a random sample")
    ap.add_argument("--sample", type=int, default=DEFAULT_SAMPLE,
                    help="how many inclusion proofs to check (default %(default)s)")
    ap.add_argument("--wait", type=float, default=10.0,
                    help="seconds to wait for a checkpoint covering every entry read (default %(default)s)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    ap.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    ap.add_argument("--self-test", action="store_true",
                    help="reproduce every vector of the spec and catch tampered copies; no server")
    ap.add_argument("--vectors", default=default_vectors(), help="the vectors file for --self-test")
    args = ap.parse_args(argv)

    if args.self_test:
        return SelfTest(args.vectors).run()
    if not args.base_url:
        ap.print_usage(sys.stderr)
        print("verify.py: --base-url is required (or --self-test)", file=sys.stderr)
        return 2
    if not args.base_url.startswith(("http://", "https://")):
        print("verify.py: --base-url must start with http:// or https://", file=sys.stderr)
        return 2
    line = args.key
    if args.key_file:
        try:
            with open(args.key_file, encoding="utf-8") as f:
                line = next((l.strip() for l in f if l.strip() and not l.startswith("#")), "")
        except OSError as e:
            print("verify.py: cannot read the key file: %s" % e, file=sys.stderr)
            return 2
    if not line:
        print("verify.py: the verifier key is required (--key 'origin+keyid+base64' or --key-file). "
              "Take it from the operator's published documentation, never from the server itself.",
              file=sys.stderr)
        return 2
    try:
        vkey = parse_vkey(line)
    except NoteError as e:
        print("verify.py: the verifier key is not valid: %s" % e, file=sys.stderr)
        return 2
    require_ed25519()
    rep = Report(quiet=args.quiet)
    print("cpr-verify %s: %s, log key %s+%s" % (VERSION, args.base_url, vkey[0], vkey[1].hex()))
    ver = Verifier(Api(args.base_url, timeout=args.timeout), vkey, rep,
                   state_path=None if args.no_state else args.state, all_proofs=args.all_proofs,
                   sample=max(1, args.sample), wait_for_checkpoint=args.wait)
    ver.vkey_line = line.strip()
    try:
        return ver.run()
    except NetworkError as e:
        print("\nverify.py: network error, the check could not finish: %s" % e, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 2


if __name__ == "__main__":
    sys.exit(main())
