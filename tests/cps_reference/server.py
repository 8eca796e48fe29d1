#!/usr/bin/env python3
"""A reference CPS v2 / PAPI v1 server: an outside judge for spsdash's requests.

Written from Akamai's published API definitions (github.com/akamai/akamai-apis:
apis/cps/v2/openapi.json and apis/papi/v1/), not from spsdash's own simulator, so the two
cannot share a mistake. Names, paths, media types, enums and required members follow the
definitions to the letter; the data is our own, in the shapes the published examples show,
including the odd ones a client must survive (an id written as a string, a /cps-api/
location, a lower-case challenge status, null members, a member the schema does not list).

    python3 tests/cps_reference/server.py [--port 0] [--sps-live] [--strict-contract-ids]
        [--drop-first-create] [--conflict-first-updates N] [--throttle-first-write]

prints `listening on 127.0.0.1:PORT` once ready. Test hooks (no Authorization needed):
GET /_reference/requests lists every API request so far; POST /_reference/reset clears it.

Writes are served too (creating and replacing enrollments, answering what a change waits
for, cancelling, PAPI edge hostnames). Every body is held to the JSON Schema the operations
table names for its operation and Content-Type (tests/data/cps_reference/schemas/, written
by hand from the published request schemas; bodies.py); a body that does not fit is answered
400 with a problem+json naming each member at fault. Each recorded request carries, beside
method, path, query, accept, content_type, body and status:

    "schema":     the schema file the body was held to ("schemas/enrollment.v11.json"), or null
    "violations": one line per fault, "field: what" ("csr.cn: required member missing",
                  "networkConfiguration.geography: \"mars\" is not one of ..."), or a marker
                  line: "(not JSON) ...", "(no body) ...", "(no schema) ...", "(not checked) ...";
                  [] when the body is valid or there is none to check
    "dropped":    true when --drop-first-create swallowed this request's answer

The world (world.py): contract C-0REF01 holds 72001 (Let's Encrypt DV, new-certificate change
88001 awaiting lets-encrypt-challenges), 72002 (OV renewal 88002 awaiting pre-verification
warnings), 72003 (no change, expired); C-0REF02 holds 72101 (no change, expires in 12 days),
72102 (third party, 88102 awaiting the certificate upload), 72103 (OV renewal 88103 awaiting
post-verification warnings), 72104 (DV renewal 88104 under change management, awaiting its
acknowledgement with the info's validationResultHash). New enrollments get ids from 72201,
new changes from 88201.
"""

import argparse
import json
import re
import sys
import threading
import traceback
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.dont_write_bytecode = True  # no __pycache__ beside the sources in the work tree
from bodies import NOT_CHECKED, Bodies  # noqa: E402 (after the bytecode switch)
from world import Problem, World, bad, cps, pem  # noqa: E402

JSON = "application/json"
PROBLEM = "application/problem+json"

# Which Accept each info type answers, and which Content-Type each update type takes. The
# definitions list every type on one operation; these groups follow the media-type families
# (the same split as tests/data/cps_reference/operations.json).
INFO_ACCEPT = {
    "change-management-info": [cps(f"change-management-info.v{n}") for n in (5, 4, 2, 1)]
    + [cps(f"deployment.v{n}") for n in (7, 6, 3)],
    "lets-encrypt-challenges": [cps("dv-challenges.v2"), cps("dv-challenges.v1")],
    "post-verification-warnings": [cps("warnings.v1")],
    "pre-verification-warnings": [cps("warnings.v1")],
    "third-party-csr": [cps("csr.v2"), cps("csr.v1")],
}
ACK, ACK_HASH = cps("acknowledgement.v1"), cps("acknowledgement-with-hash.v1")
CHAIN_V2, CHAIN_V1 = cps("certificate-and-trust-chain.v2"), cps("certificate-and-trust-chain.v1")
UPDATE_CONTENT = {
    "change-management-ack": [ACK_HASH, ACK],
    "lets-encrypt-challenges-completed": [ACK],
    "post-verification-warnings-ack": [ACK],
    "pre-verification-warnings-ack": [ACK],
    "third-party-cert-and-trust-chain": [CHAIN_V2, CHAIN_V1],
}
WRITES = ("POST", "PUT", "DELETE", "PATCH")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port, options):
        super().__init__(("127.0.0.1", port), Handler)
        self.options = options
        self.lock = threading.Lock()
        self.world = World(datetime.now(timezone.utc).replace(microsecond=0))
        self.bodies = Bodies()
        self.log = []
        self.sequence = 0
        # What is left of the failure modes the options ask for (see main()).
        self.drop_left = 1 if options.drop_first_create else 0
        self.conflicts_left = options.conflict_first_updates
        self.throttle_left = 1 if options.throttle_first_write else 0


ROUTES = []


def route(pattern, *methods):
    def register(function):
        ROUTES.append((re.compile(pattern + r"\Z"), methods, function))
        return function

    return register


E, C = r"/cps/v2/enrollments/(?P<e>[^/]+)", r"/changes/(?P<c>[^/]+)"
SPS_PREFIX = "/config-secure-provisioning-service/"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a client's pool expects
    server_version = "cps-reference"
    sys_version = ""

    def log_message(self, format, *args):
        if self.server.options.verbose:
            super().log_message(format, *args)

    def do_GET(self):
        self.handle_any()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    # ---- plumbing ----

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > 10_000_000:
            raise ValueError("Content-Length out of range")
        return self.rfile.read(length) if length else b""

    def send(self, status, payload, content_type, headers=None):
        data = json.dumps(payload, indent=2).encode() if payload is not None else b""
        self.send_response(status)
        if data:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        url = urlsplit(self.path)
        self.url_path, self.raw_query = url.path, url.query
        self.query = parse_qs(url.query, keep_blank_values=True)
        unreadable = None
        try:
            self.body = self.read_body()
        except (ValueError, OSError):
            # The rest of the stream cannot be trusted: answer, then close.
            self.body, self.close_connection = b"", True
            unreadable = Problem(400, "Bad Request", "The request body could not be read.")
        if self.url_path.startswith("/_reference/") and not unreadable:
            self.hook()
            return
        # Every body is held to its published schema whatever the answer, so a test can
        # assert that each body a client sent was valid, not only the accepted ones.
        self.check = self.server.bodies.check(self.command, self.url_path, self.headers.get("Content-Type"), self.body)
        self.drop_answer = False
        with self.server.lock:
            self.server.sequence += 1
            status, payload, content_type, headers = self.problem(unreadable) if unreadable else self.answer()
            self.server.log.append(
                {
                    "method": self.command,
                    "path": self.url_path,
                    "query": self.raw_query,
                    "accept": self.headers.get("Accept"),
                    "content_type": self.headers.get("Content-Type"),
                    "body": self.body.decode("utf-8", "replace") if self.body else None,
                    "status": status,
                    "schema": self.check.schema,
                    "violations": self.check.violations,
                    "dropped": self.drop_answer,
                }
            )
        if self.drop_answer:
            # The work is done, the answer is lost: close without a byte, as a connection
            # cut after the request reached the server looks to a client.
            self.close_connection = True
            return
        self.send(status, payload, content_type, headers)

    def answer(self):
        try:
            status, payload, content_type, headers = self.dispatch()
            return status, payload, content_type, headers or {}
        except Problem as problem:
            return self.problem(problem)
        except Exception:
            traceback.print_exc()
            return self.problem(Problem(500, "Internal Server Error", "The reference server failed; see its stderr."))

    def problem(self, problem):
        slug = re.sub(r"[^a-z]+", "-", problem.title.lower()).strip("-")
        payload = {
            "type": f"https://problems.reference.invalid/{slug}",
            "title": problem.title,
            "status": problem.status,
            "detail": problem.detail,
            "instance": f"{self.url_path}#ref{self.server.sequence:06d}",
        }
        if problem.errors or problem.field:
            payload["errors"] = problem.errors or [{"field": problem.field, "detail": problem.detail}]
        return problem.status, payload, PROBLEM, problem.headers

    def hook(self):
        if self.command == "GET" and self.url_path == "/_reference/requests":
            with self.server.lock:
                self.send(200, list(self.server.log), JSON)
        elif self.command == "POST" and self.url_path == "/_reference/reset":
            with self.server.lock:
                cleared = len(self.server.log)
                self.server.log.clear()
            self.send(200, {"cleared": cleared}, JSON)
        else:
            self.send(*self.problem(Problem(404, "Not Found", "Unknown test hook.")))

    def dispatch(self):
        if self.url_path.startswith(SPS_PREFIX) or self.url_path.rstrip("/") == SPS_PREFIX.rstrip("/"):
            if self.server.options.sps_live:
                raise Problem(404, "Not Found", "No such SPS resource.")
            raise Problem(410, "Gone", "SPS (Secure Provisioning Service) was decommissioned on 2023-01-03; use CPS v2.")
        if not self.headers.get("Authorization", "").startswith("EG1-HMAC-SHA256 "):
            raise Problem(401, "Unauthorized", "The request requires EdgeGrid authentication (EG1-HMAC-SHA256).")
        if self.command in WRITES and self.server.throttle_left:
            # --throttle-first-write: the gateway refuses before anything is looked at.
            self.server.throttle_left -= 1
            raise Problem(429, "Too Many Requests", "Rate limit exceeded; retry after 1 second.", {"Retry-After": "1"})
        for pattern, methods, function in ROUTES:
            match = pattern.match(self.url_path)
            if match:
                if self.command not in methods:
                    allow = ", ".join(methods)
                    detail = f"{self.command} is not allowed here; use {allow}."
                    raise Problem(405, "Method Not Allowed", detail, {"Allow": allow})
                return function(self, **match.groupdict())
        raise Problem(404, "Not Found", f"No resource at {self.url_path}.")

    # ---- request checks ----

    def accept_exactly(self, *types):
        """CPS matches Accept exactly: no wildcard, no list, no default."""
        given = (self.headers.get("Accept") or "").strip()
        if given not in types:
            expected = " or ".join(types)
            raise Problem(406, "Not Acceptable", f"Accept {given or '(none)'} is not served here; send Accept: {expected}.")
        return given

    def accept_json(self):
        given = self.headers.get("Accept")
        ranges = [part.split(";")[0].strip() for part in (given or "*/*").split(",")]
        if not {JSON, "application/*", "*/*"} & set(ranges):
            raise Problem(406, "Not Acceptable", f"Accept {given} is not served here; send Accept: {JSON}.")

    def content_type(self, *types, exact=True):
        given = (self.headers.get("Content-Type") or "").strip()
        compare = given if exact else given.split(";")[0].strip()
        if compare not in types:
            detail = f"Content-Type {given or '(none)'} is not taken here; send {' or '.join(types)}."
            raise Problem(415, "Unsupported Media Type", detail)
        return compare

    def valid_body(self):
        """The body, parsed, once it fits its published schema; else 400 naming each member
        at fault (503 when the schemas cannot be checked here)."""
        violations = self.check.violations
        if violations and violations[0].startswith(NOT_CHECKED):
            raise Problem(503, "Service Unavailable", f"The reference server cannot check bodies: {violations[0]}")
        if violations:
            errors = []
            for line in violations:
                where, _, what = line.partition(": ") if not line.startswith("(") else ("(body)", "", line)
                errors.append({"field": where, "detail": what})
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            detail = f"The body does not fit {self.check.schema or 'any published schema'}: {violations[0]}{more}"
            raise Problem(400, "Bad Request", detail, errors=errors)
        if not isinstance(self.check.value, dict):
            raise bad("The request needs a JSON body.")
        return self.check.value

    def flag(self, name):
        """A published boolean query flag: true or false, absent is false."""
        value = self.param(name)
        if value not in (None, "true", "false"):
            raise bad(f"The query parameter {name} must be true or false, not {value!r}.")
        return value == "true"

    def schedule(self):
        return {"notBefore": self.param("deploy-not-before"), "notAfter": self.param("deploy-not-after")}

    def drop_if_asked(self):
        """--drop-first-create: the first create that succeeds loses its answer."""
        if self.server.drop_left:
            self.server.drop_left -= 1
            self.drop_answer = True

    def param(self, name, required=False):
        values = self.query.get(name)
        if not values or values[0] == "":
            if required:
                raise bad(f"The query parameter {name} is required.")
            return None
        return values[0]

    def cps_contract(self, status_unknown=None):
        raw = self.param("contractId", required=True)
        contract = self.server.world.contract(raw, self.server.options.strict_contract_ids)
        if contract is None and status_unknown:
            raise Problem(status_unknown, "Forbidden", f"Contract {raw} is not available to this client.")
        return contract

    def papi_contract(self):
        raw = self.param("contractId", required=True)
        contract = self.server.world.contract(raw, False)
        if contract is None:
            raise Problem(403, "Forbidden", f"Contract {raw} is not available to this client.")
        return contract


# ---- CPS ----


@route(r"/cps/v2/enrollments", "GET", "POST")
def enrollments(h):
    world = h.server.world
    if h.command == "GET":
        media = h.accept_exactly(cps("enrollments.v11"))
        contract = h.cps_contract()
        docs = [world.enrollments[e]["doc"] for e in world.contracts.get(contract, [])]
        return 200, {"enrollments": docs}, media, None
    media = h.accept_exactly(cps("enrollment-status.v1"))
    h.content_type(cps("enrollment.v11"))
    contract = h.cps_contract(status_unknown=403)
    body = h.valid_body()
    eid, cid = world.create(contract, body, h.schedule())
    h.drop_if_asked()
    link = f"/cps/v2/enrollments/{eid}"
    return 202, {"enrollment": link, "changes": [f"{link}/changes/{cid}"]}, media, None


@route(E, "GET", "PUT", "DELETE")
def enrollment(h, e):
    world = h.server.world
    if h.command == "GET":
        media = h.accept_exactly(cps("enrollment.v11"))
        return 200, world.enrollment(e)["doc"], media, None
    media = h.accept_exactly(cps("enrollment-status.v1"))
    cancel = h.flag("allow-cancel-pending-changes")
    if h.command == "DELETE":
        entry = world.enrollment(e)
        if world._pending(entry) and not cancel:
            raise Problem(409, "Conflict", "The enrollment has a pending change; add allow-cancel-pending-changes=true.")
        for change in world._pending(entry):
            world.cancel(entry, change)
        del world.enrollments[int(e)]
        world.contracts[entry["contract"]].remove(int(entry["doc"]["id"]))
        return 202, {"enrollment": f"/cps/v2/enrollments/{e}", "changes": []}, media, None
    h.content_type(cps("enrollment.v11"))
    entry = world.enrollment(e)
    body = h.valid_body()
    names = [
        "allow-cancel-pending-changes",
        "allow-staging-bypass",
        "force-renewal",
        "renewal-date-check-override",
        "allow-missing-certificate-addition",
    ]
    status, ids = world.update(entry, body, {name: h.flag(name) for name in names}, h.schedule())
    link = f"/cps/v2/enrollments/{e}"
    return status, {"enrollment": link, "changes": [f"{link}/changes/{cid}" for cid in ids]}, media, None


@route(E + C, "GET", "DELETE")
def change(h, e, c):
    world = h.server.world
    if h.command == "GET":
        media = h.accept_exactly(cps("change.v2"))
        _, found = world.change(e, c)
        return 200, {"statusInfo": found["statusInfo"], "allowedInput": found["allowedInput"]}, media, None
    media = h.accept_exactly(cps("change-id.v1"))
    entry, found = world.change(e, c)
    if found["statusInfo"]["state"] in ("completed", "cancelled"):
        raise Problem(409, "Conflict", f"Change {c} is already {found['statusInfo']['state']}.")
    world.cancel(entry, found)
    return 200, {"change": f"/cps/v2/enrollments/{e}/changes/{c}"}, media, None


@route(E + C + "/deployment-schedule", "GET", "PUT")
def schedule(h, e, c):
    _, found = h.server.world.change(e, c)
    if h.command == "GET":
        media = h.accept_exactly(cps("deployment-schedule.v1"))
        return 200, found["statusInfo"]["deploymentSchedule"], media, None
    media = h.accept_exactly(cps("change-id.v1"))
    h.content_type(cps("deployment-schedule.v1"))
    body = h.valid_body()
    found["statusInfo"]["deploymentSchedule"] = {"notBefore": body.get("notBefore"), "notAfter": body.get("notAfter")}
    return 200, {"change": f"/cps/v2/enrollments/{e}/changes/{c}"}, media, None


@route(E + C + r"/input/info/(?P<t>[^/]+)", "GET")
def input_info(h, e, c, t):
    _, found = h.server.world.change(e, c)
    if t not in INFO_ACCEPT:
        raise Problem(404, "Not Found", f"{t} is not an input info type; use one of {', '.join(INFO_ACCEPT)}.")
    media = h.accept_exactly(*INFO_ACCEPT[t])
    offered = [i["info"].rsplit("/", 1)[-1] for i in found["allowedInput"]]
    if t not in offered:
        raise Problem(404, "Not Found", f"Change {c} does not offer {t} now (it offers: {', '.join(offered) or 'nothing'}).")
    representation = found["info"].get(t, {}).get(media)
    if representation is None:
        held = ", ".join(found["info"].get(t, {})) or "none"
        raise Problem(406, "Not Acceptable", f"{t} of change {c} is served as {held}.")
    return 200, representation, media, None


@route(E + C + r"/input/update/(?P<t>[^/]+)", "POST")
def input_update(h, e, c, t):
    entry, found = h.server.world.change(e, c)
    if t not in UPDATE_CONTENT:
        raise Problem(404, "Not Found", f"{t} is not an input update type; use one of {', '.join(UPDATE_CONTENT)}.")
    media = h.accept_exactly(cps("change-id.v1"))
    h.content_type(*UPDATE_CONTENT[t])
    body = h.valid_body()
    if h.server.conflicts_left:
        # --conflict-first-updates N: a well-formed answer is told the change moved, and
        # the change is left as it was (a client reads it again and finds it unchanged).
        h.server.conflicts_left -= 1
        raise Problem(409, "Conflict", f"Change {c} changed while you answered it; read it again.")
    offered = [i["update"].rsplit("/", 1)[-1] for i in found["allowedInput"]]
    if t not in offered:
        waits = ", ".join(offered) or "nothing"
        raise Problem(409, "Conflict", f"Change {c} does not wait for {t} now (it waits for: {waits}); read it again.")
    h.server.world.answer(entry, found, t, body)
    return 200, {"change": f"/cps/v2/enrollments/{e}/changes/{c}"}, media, None


@route(E + r"/deployments", "GET")
def deployments(h, e):
    media = h.accept_exactly(cps("deployments.v7"))
    world = h.server.world
    view = world.deployment(world.enrollment(e))
    return 200, {"production": view, "staging": view}, media, None


@route(E + r"/deployments/(?P<network>production|staging)", "GET")
def deployment(h, e, network):
    media = h.accept_exactly(cps("deployment.v7"))
    world = h.server.world
    return 200, world.deployment(world.enrollment(e)), media, None


@route(E + r"/history/changes", "GET")
def change_history(h, e):
    media = h.accept_exactly(cps("change-history.v5"))
    return 200, {"changes": h.server.world.enrollment(e)["history"]}, media, None


@route(E + r"/history/certificates", "GET")
def certificate_history(h, e):
    media = h.accept_exactly(cps("certificate-history.v2"))
    entry = h.server.world.enrollment(e)
    doc, cn = entry["doc"], entry["doc"]["csr"]["cn"]
    certificates = [
        {
            "deploymentStatus": "active" if cert["active"] else "inactive",
            "stagingStatus": "active" if cert["active"] else "inactive",
            "type": doc["certificateType"],
            "ra": doc["ra"],
            "slots": [31000 + int(doc["id"]) % 1000] if cert["active"] else [],
            "primaryCertificate": {
                "certificate": pem("CERTIFICATE", f"reference certificate for {cn}, not after {cert['expiry']}"),
                "expiry": cert["expiry"],
                "keyAlgorithm": "RSA",
                "trustChain": pem("CERTIFICATE", "reference intermediate"),
            },
            "multiStackedCertificates": [],
        }
        for cert in reversed(entry["certs"])
    ]
    return 200, {"certificates": certificates}, media, None


@route(E + r"/dv-history", "GET")
def dv_history(h, e):
    media = h.accept_exactly(cps("dv-history.v1"))
    results = []
    for domain in h.server.world.enrollment(e)["dv_history"]:
        http = domain["challenges"][0]
        record = {k: v for k, v in domain.items()}
        record.update(
            token=http["token"],
            fullPath=http["fullPath"],
            redirectFullPath=http["redirectFullPath"],
            responseBody=http["responseBody"],
            validationRecords=http["validationRecords"],
        )
        results.append({"domain": domain["domain"], "domainHistory": [record]})
    return 200, {"results": results}, media, None


# ---- PAPI ----

GROUPS = [
    {"groupId": "grp_30101", "groupName": "Judge One", "contractIds": ["ctr_C-0REF01"]},
    {"groupId": "grp_30102", "groupName": "Judge One - Shop", "parentGroupId": "grp_30101", "contractIds": ["ctr_C-0REF01"]},
    {"groupId": "grp_30201", "groupName": "Judge Two", "contractIds": ["ctr_C-0REF02"]},
]
PRODUCTS = {
    "C-0REF01": [
        {"productId": "prd_SPM", "productName": "Ion Premier"},
        {"productId": "prd_Fresca", "productName": "Ion Standard"},
    ],
    "C-0REF02": [{"productId": "prd_Fresca", "productName": "Ion Standard"}],
}
ACCOUNT = {"accountId": "act_A-0REF", "accountName": "Reference Judge Account"}
# secureNetwork -> the domainSuffix the edge hostname create request's descriptions pair it with.
SUFFIXES = {"ENHANCED_TLS": "edgekey.net", "STANDARD_TLS": "edgesuite.net", "SHARED_CERT": "akamaized.net"}


@route(r"/papi/v1/groups", "GET")
def groups(h):
    h.accept_json()
    return 200, dict(ACCOUNT, groups={"items": GROUPS}), JSON, None


@route(r"/papi/v1/contracts", "GET")
def contracts(h):
    h.accept_json()
    items = [
        {"contractId": "ctr_C-0REF01", "contractTypeName": "DIRECT_CUSTOMER"},
        {"contractId": "ctr_C-0REF02", "contractTypeName": "INDIRECT_CUSTOMER"},
    ]
    return 200, {"accountId": ACCOUNT["accountId"], "contracts": {"items": items}}, JSON, None


@route(r"/papi/v1/products", "GET")
def products(h):
    h.accept_json()
    contract = h.papi_contract()
    body = {"accountId": ACCOUNT["accountId"], "contractId": f"ctr_{contract}", "products": {"items": PRODUCTS[contract]}}
    return 200, body, JSON, None


@route(r"/papi/v1/edgehostnames", "GET", "POST")
def edge_hostnames(h):
    h.accept_json()
    world = h.server.world
    contract = h.papi_contract()
    group = h.param("groupId", required=True).removeprefix("grp_")
    if not any(g["groupId"] == f"grp_{group}" and f"ctr_{contract}" in g["contractIds"] for g in GROUPS):
        raise Problem(403, "Forbidden", f"Group {group} does not hold contract ctr_{contract}.")
    if h.command == "GET":
        items = [
            {k: v for k, v in ehn.items() if k not in ("contract", "group")}
            for ehn in world.edge_hostnames
            if ehn["contract"] == contract and ehn["group"] == group
        ]
        ids = {"contractId": f"ctr_{contract}", "groupId": f"grp_{group}"}
        return 200, {"accountId": ACCOUNT["accountId"], **ids, "edgeHostnames": {"items": items}}, JSON, None
    h.content_type(JSON, exact=False)
    body = h.valid_body()
    # The schema leaves these pairings to its descriptions: each secureNetwork takes one
    # suffix, and ENHANCED_TLS names the CPS enrollment whose certificate it serves.
    network = body.get("secureNetwork")
    suffix = SUFFIXES.get(network)
    if suffix and body["domainSuffix"] != suffix:
        detail = f"A {network} edge hostname takes the domainSuffix {suffix}."
        raise Problem(400, "Bad Request", detail, field="domainSuffix")
    if network == "ENHANCED_TLS":
        enrollment_id = body.get("certEnrollmentId")
        if enrollment_id is None:
            detail = "An ENHANCED_TLS edge hostname needs certEnrollmentId."
            raise Problem(400, "Bad Request", detail, field="certEnrollmentId")
        if enrollment_id not in world.contracts[contract]:
            detail = f"certEnrollmentId {enrollment_id} is not an enrollment of ctr_{contract}."
            raise Problem(400, "Bad Request", detail, field="certEnrollmentId")
    product = str(body["productId"])
    product = product if product.startswith("prd_") else f"prd_{product}"
    if product not in [p["productId"] for p in PRODUCTS[contract]]:
        raise bad(f"Product {product} is not on ctr_{contract}.")
    ehn = f"ehn_{world.next_edge}"
    world.next_edge += 1
    world.edge_hostnames.append(
        {
            "edgeHostnameId": ehn,
            "edgeHostnameDomain": f"{body['domainPrefix']}.{body['domainSuffix']}",
            "productId": product,
            "domainPrefix": body["domainPrefix"],
            "domainSuffix": body["domainSuffix"],
            "secure": network in ("ENHANCED_TLS", "SHARED_CERT"),
            "ipVersionBehavior": body["ipVersionBehavior"],
            "status": "PENDING",
            "contract": contract,
            "group": group,
        }
    )
    h.drop_if_asked()
    link = f"/papi/v1/edgehostnames/{ehn}?contractId=ctr_{contract}&groupId=grp_{group}"
    return 201, {"edgeHostnameLink": link}, JSON, {"Location": link}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--sps-live", action="store_true", help="answer SPS paths 404 instead of 410 Gone")
    parser.add_argument(
        "--strict-contract-ids",
        action="store_true",
        help="CPS treats a ctr_-prefixed contractId as unknown (Akamai's own clients strip the prefix for CPS)",
    )
    # Failure modes a client must survive; each one happens only as often as asked.
    parser.add_argument(
        "--drop-first-create",
        action="store_true",
        help="the first create that succeeds (an enrollment or an edge hostname) is done, "
        "but its answer is never sent: the connection closes without a byte",
    )
    parser.add_argument(
        "--conflict-first-updates",
        type=int,
        default=0,
        metavar="N",
        help="answer the first N well-formed POSTs to a change's input/update link 409 Conflict, changing nothing",
    )
    parser.add_argument(
        "--throttle-first-write",
        action="store_true",
        help="answer the first write (POST, PUT or DELETE) 429 with Retry-After: 1, changing nothing",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    options = parser.parse_args()
    server = Server(options.port, options)
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
