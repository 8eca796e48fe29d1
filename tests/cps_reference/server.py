#!/usr/bin/env python3
"""A reference CPS v2 / PAPI v1 server: an outside judge for spsdash's requests.

Written from Akamai's published API definitions (github.com/akamai/akamai-apis:
apis/cps/v2/openapi.json and apis/papi/v1/), not from spsdash's own simulator, so the two
cannot share a mistake. Names, paths, media types, enums and required members follow the
definitions to the letter; the data is our own, in the shapes the published examples show,
including the odd ones a client must survive (an id written as a string, a /cps-api/
location, a lower-case challenge status, null members, a member the schema does not list).

    python3 tests/cps_reference/server.py [--port 0] [--sps-live] [--strict-contract-ids]

prints `listening on 127.0.0.1:PORT` once ready. Test hooks (no Authorization needed):
GET /_reference/requests lists every API request so far; POST /_reference/reset clears it.
"""

import argparse
import base64
import hashlib
import json
import re
import sys
import threading
import traceback
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def cps(name):
    return f"application/vnd.akamai.cps.{name}+json"


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
# allowedInput[].type, and the info/update names it links to.
INPUTS = {
    "lets-encrypt-challenges": ("lets-encrypt-challenges", "lets-encrypt-challenges-completed"),
    "pre-verification-warnings-acknowledgement": (
        "pre-verification-warnings",
        "pre-verification-warnings-ack",
    ),
    "third-party-certificate": ("third-party-csr", "third-party-cert-and-trust-chain"),
}

# enrollment.v11: every member the schema names (additionalProperties: false), required
# members and enums, at the top level and in csr / networkConfiguration.
ENROLLMENT = {
    "allowed": "adminContact assignedSlots autoRenewalStartTime certificateChainType "
    "certificateType changeManagement csr enableMultiStackedCertificates id location "
    "maxAllowedSanNames maxAllowedWildcardSanNames networkConfiguration org orgId "
    "pendingChanges productionSlots ra signatureAlgorithm stagingSlots techContact "
    "thirdParty validationType".split(),
    "required": "certificateType changeManagement csr enableMultiStackedCertificates "
    "networkConfiguration ra validationType".split(),
    "enums": {
        "certificateType": ["san", "single", "wildcard", "wildcard-san", "third-party"],
        "certificateChainType": ["default", "symantec1kroot"],
        "ra": ["symantec", "lets-encrypt", "third-party"],
        "signatureAlgorithm": ["SHA-1", "SHA-256"],
        "validationType": ["dv", "ev", "ov", "third-party"],
    },
    "booleans": ["changeManagement", "enableMultiStackedCertificates"],
}
CSR = {"allowed": "c cn l o ou preferredTrustChain sans st".split(), "required": ["cn"]}
NETWORK = {
    "allowed": "clientMutualAuthentication disallowedTlsVersions dnsNameSettings geography "
    "mustHaveCiphers ocspStapling preferredCiphers quicEnabled secureNetwork sniOnly".split(),
    "required": ["geography", "quicEnabled", "secureNetwork", "sniOnly"],
    "enums": {
        "geography": ["core", "china+core", "russia+core"],
        "ocspStapling": ["on", "off", "not-set"],
        "secureNetwork": ["enhanced-tls", "standard-tls"],
    },
    "booleans": ["quicEnabled", "sniOnly"],
}


class Problem(Exception):
    def __init__(self, status, title, detail, headers=None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers or {}


def bad(detail):
    return Problem(400, "Bad Request", detail)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(seed):
    """43 characters of base64url, stable per seed, like an ACME token."""
    return b64url(hashlib.sha256(seed.encode()).digest())


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def pem(label, text):
    body = base64.b64encode(text.encode()).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"])


THUMBPRINT = token("reference ACME account key")


class World:
    """Everything the server knows; every method runs under the server's one lock."""

    def __init__(self, now):
        self.now = now
        self.contracts = {"C-0REF01": [], "C-0REF02": []}
        self.enrollments = {}  # id -> {"doc", "contract", "certs", "history", "dv_history"}
        self.changes = {}  # id -> {"enrollment", "statusInfo", "allowedInput", "info"}
        self.edge_hostnames = []
        self.next_enrollment, self.next_change, self.next_edge = 72201, 88201, 5100002
        self._seed()

    # ---- the world at start ----

    def _seed(self):
        now, day = self.now, timedelta(days=1)
        one = ["www.judge-one.example", "judge-one.example", "static.judge-one.example"]
        a = self._add("C-0REF01", 72001, "lets-encrypt", "dv", "san", one)
        self._open_change(a, 88001, "new-certificate", "lets-encrypt-challenges")
        self._dv(a, 88001, one, valid={"static.judge-one.example"}, lower={"judge-one.example"})

        shop = ["shop.judge-one.example", "checkout.judge-one.example"]
        b = self._add("C-0REF01", 72002, "symantec", "ov", "san", shop, cps_api=True)
        self._issue(b, now - 340 * day, now + 25 * day)
        self._start(b, 88002, "renewal")
        self.changes[88002]["info"]["pre-verification-warnings"][cps("warnings.v1")]["warnings"] = (
            "checkout.judge-one.example is also on a certificate of another account.\n"
            "The renewed certificate drops old-shop.judge-one.example, which the current one covers."
        )

        c = self._add("C-0REF01", 72003, "lets-encrypt", "dv", "single", ["legacy.judge-one.example"])
        c["doc"]["slots"] = [31003]  # not in enrollment.v11: a client must keep going
        self._issue(c, now - 99 * day, now - 9 * day)
        c["dv_history"] = self._dv_entries(["legacy.judge-one.example"], "72003", valid_all=True, at=now - 100 * day)

        d = self._add("C-0REF02", 72101, "symantec", "ov", "single", ["media.judge-two.example"])
        d["doc"]["id"] = "72101"  # written as a string, as the published example does
        d["doc"]["pendingChanges"] = None
        d["doc"]["orgId"] = "4711"
        self._issue(d, now - 353 * day, now + 12 * day)

        api = ["api.judge-two.example", "api-eu.judge-two.example"]
        e = self._add("C-0REF02", 72102, "third-party", "third-party", "third-party", api)
        e["doc"]["thirdParty"] = {"excludeSans": False}
        e["doc"]["signatureAlgorithm"] = None
        self._start(e, 88102, "new-certificate")

        self.edge_hostnames.append(
            {
                "edgeHostnameId": "ehn_5100001",
                "edgeHostnameDomain": "shop.judge-one.example.edgekey.net",
                "productId": "prd_SPM",
                "domainPrefix": "shop.judge-one.example",
                "domainSuffix": "edgekey.net",
                "secure": True,
                "ipVersionBehavior": "IPV6_COMPLIANCE",
                "contract": "C-0REF01",
                "group": "30101",
            }
        )

    def _add(self, contract, eid, ra, validation, cert_type, names, cps_api=False):
        root = "/cps-api" if cps_api else "/cps/v2"
        contact = {
            "firstName": "Ada",
            "lastName": "Reviewer",
            "email": "ada.reviewer@judge-one.example",
            "phone": "+44 20 7946 0011",
            "title": None,
            "organizationName": "Reference Widgets Ltd",
            "addressLineOne": "1 Judge Lane",
            "addressLineTwo": None,
            "city": "Testbury",
            "region": "Kent",
            "postalCode": "TB1 1AA",
            "country": "GB",
        }
        doc = {
            "id": eid,
            "location": f"{root}/enrollments/{eid}",
            "ra": ra,
            "validationType": validation,
            "certificateType": cert_type,
            "certificateChainType": "default",
            "signatureAlgorithm": "SHA-256",
            "changeManagement": False,
            "enableMultiStackedCertificates": False,
            "autoRenewalStartTime": None,
            "orgId": 4711,
            "maxAllowedSanNames": 100,
            "maxAllowedWildcardSanNames": 100,
            "networkConfiguration": {
                "geography": "core",
                "secureNetwork": "enhanced-tls",
                "sniOnly": True,
                "quicEnabled": False,
                "mustHaveCiphers": "ak-akamai-2020q1",
                "preferredCiphers": "ak-akamai-2020q1",
                "ocspStapling": "on",
                "disallowedTlsVersions": ["TLSv1", "TLSv1_1"],
                "dnsNameSettings": {"cloneDnsNames": True, "dnsNames": None},
                "clientMutualAuthentication": None,
            },
            "csr": {
                "cn": names[0],
                "sans": names,
                "c": "GB",
                "st": "Kent",
                "l": "Testbury",
                "o": "Reference Widgets Ltd",
                "ou": None,
            },
            "org": {
                "name": "Reference Widgets Ltd",
                "addressLineOne": "1 Judge Lane",
                "addressLineTwo": None,
                "city": "Testbury",
                "region": "Kent",
                "postalCode": "TB1 1AA",
                "country": "GB",
                "phone": "+44 20 7946 0000",
            },
            "adminContact": contact,
            "techContact": dict(contact, firstName="Tom", lastName="Operator", email="tom.operator@judge-one.example"),
            "pendingChanges": [],
        }
        entry = {"doc": doc, "contract": contract, "certs": [], "history": [], "dv_history": []}
        self.enrollments[eid] = entry
        self.contracts[contract].append(eid)
        return entry

    def _history(self, entry, action, status, created, with_cert):
        cn = entry["doc"]["csr"]["cn"]
        entry["history"].insert(
            0,
            {
                "action": action,
                "actionDescription": {
                    "new-certificate": "New certificate",
                    "renew": "Renew certificate",
                    "modify-san": "Change the SANs",
                }.get(action, action),
                "businessCaseId": None,
                "createdBy": "ada.reviewer",
                "createdOn": iso(created),
                "lastUpdated": iso(created + timedelta(hours=2)),
                "ra": entry["doc"]["ra"],
                "status": status,
                "primaryCertificate": {
                    "certificate": pem("CERTIFICATE", f"reference certificate for {cn}") if with_cert else None,
                    "csr": pem("CERTIFICATE REQUEST", f"reference CSR for {cn}"),
                    "keyAlgorithm": "RSA",
                    "trustChain": pem("CERTIFICATE", "reference intermediate") if with_cert else None,
                },
                "multiStackedCertificates": [],
            },
        )

    def _issue(self, entry, issued, expiry):
        """A certificate deployed on both networks; the one before it goes inactive."""
        for cert in entry["certs"]:
            cert["active"] = False
        entry["certs"].append({"issued": iso(issued), "expiry": iso(expiry), "active": True})
        action = "new-certificate" if len(entry["certs"]) == 1 else "renew"
        self._history(entry, action, "completed", issued - timedelta(days=1), True)

    def _open_change(self, entry, cid, change_type, input_type):
        eid = entry["doc"]["id"]
        root = entry["doc"]["location"].rsplit("/enrollments/", 1)[0]
        entry["doc"]["pendingChanges"] = [
            {"location": f"{root}/enrollments/{eid}/changes/{cid}", "changeType": change_type}
        ]
        info, update = INPUTS[input_type]
        base = f"/cps/v2/enrollments/{eid}/changes/{cid}/input"
        status, description = {
            # sic: the API's own spelling of "coordinate"
            "lets-encrypt-challenges": (
                "coodinate-domain-validation",
                "Waiting for the Let's Encrypt challenges to be answered.",
            ),
            "pre-verification-warnings-acknowledgement": (
                "wait-review-pre-verification-safety-checks",
                "Waiting for the pre-verification warnings to be acknowledged.",
            ),
            "third-party-certificate": (
                "wait-upload-third-party",
                "Waiting for the third-party certificate and its trust chain.",
            ),
        }[input_type]
        self.changes[cid] = {
            "enrollment": int(eid),
            "changeType": change_type,
            "statusInfo": {
                "state": "awaiting-input",
                "status": status,
                "description": description,
                "error": None,
                "deploymentSchedule": {"notBefore": None, "notAfter": None},
            },
            "allowedInput": [
                {
                    "type": input_type,
                    "requiredToProceed": True,
                    "info": f"{base}/info/{info}",
                    "update": f"{base}/update/{update}",
                }
            ],
            "info": {},
        }
        action = "renew" if change_type == "renewal" else change_type
        self._history(entry, action, "incomplete", self.now - timedelta(hours=20), False)

    def _dv_entries(self, names, seed, valid=(), lower=(), valid_all=False, at=None):
        now = at or self.now
        out = []
        for name in names:
            http, dns = token(f"{seed} http {name}"), token(f"{seed} dns {name}")
            ok = valid_all or name in valid
            http_status = "Valid" if ok else ("pending" if name in lower else "Pending")
            challenges = [
                {
                    "type": "http-01",
                    "status": http_status,
                    "error": None,
                    "token": http,
                    "fullPath": f"http://{name}/.well-known/acme-challenge/{http}",
                    "redirectFullPath": f"http://dcv.akamai.com/.well-known/acme-challenge/{http}",
                    "responseBody": f"{http}.{THUMBPRINT}",
                    "validationRecords": [
                        {
                            "hostname": name,
                            "port": "80",
                            "url": f"http://{name}/.well-known/acme-challenge/{http}",
                            "resolvedIp": ["192.0.2.41", "2001:db8::41"],
                            "usedIp": "192.0.2.41",
                        }
                    ]
                    if ok
                    else [],
                },
                {
                    "type": "dns-01",
                    "status": "Pending",
                    "error": None,
                    "token": dns,
                    "fullPath": f"_acme-challenge.{name}.",
                    "redirectFullPath": "",
                    # RFC 8555 8.4: the TXT value is the digest of the key authorization.
                    "responseBody": b64url(hashlib.sha256(f"{dns}.{THUMBPRINT}".encode()).digest()),
                    "validationRecords": [],
                },
            ]
            entry = {
                "domain": name,
                "status": "Valid" if ok else ("Pending" if name in lower else "Awaiting user"),
                "validationStatus": "VALIDATED" if ok else "AWAITING_TOKENS",
                "error": "Let's Encrypt could not fetch the HTTP token yet." if name in lower else None,
                "requestTimestamp": iso(now - timedelta(hours=20)),
                "expires": iso(now + timedelta(days=6)),
                "challenges": challenges,
            }
            if ok:
                entry["validatedTimestamp"] = iso(now - timedelta(hours=19))
            out.append(entry)
        return out

    def _dv(self, entry, cid, names, valid=(), lower=()):
        dv = self._dv_entries(names, str(cid), valid, lower)
        flat = []
        for domain in dv:
            http = domain["challenges"][0]
            flat.append(
                {
                    "domain": domain["domain"],
                    "status": domain["status"],
                    "error": domain["error"],
                    "token": http["token"],
                    "fullPath": http["fullPath"],
                    "redirectFullPath": http["redirectFullPath"],
                    "responseBody": http["responseBody"],
                    "requestTimestamp": domain["requestTimestamp"],
                    "expires": domain["expires"],
                }
            )
        self.changes[cid]["info"]["lets-encrypt-challenges"] = {
            cps("dv-challenges.v2"): {"dv": dv},
            cps("dv-challenges.v1"): {"challenges": flat},
        }
        entry["dv_history"] = dv

    # ---- lookups and views ----

    def contract(self, raw, strict):
        if raw.startswith("ctr_") and not strict:
            raw = raw[4:]
        return raw if raw in self.contracts else None

    def enrollment(self, raw):
        if not raw.isdigit():
            raise bad(f"enrollmentId must be an integer, not {raw!r}")
        entry = self.enrollments.get(int(raw))
        if entry is None:
            raise Problem(404, "Not Found", f"No enrollment {raw}.")
        return entry

    def change(self, raw_enrollment, raw_change):
        entry = self.enrollment(raw_enrollment)
        if not raw_change.isdigit():
            raise bad(f"changeId must be an integer, not {raw_change!r}")
        change = self.changes.get(int(raw_change))
        if change is None or change["enrollment"] != int(entry["doc"]["id"]):
            raise Problem(404, "Not Found", f"No change {raw_change} on enrollment {raw_enrollment}.")
        return entry, change

    def deployment(self, entry):
        doc, active = entry["doc"], [c for c in entry["certs"] if c["active"]]
        net = doc["networkConfiguration"]
        cn = doc["csr"]["cn"]
        primary = None
        if active:
            primary = {
                "certificate": pem("CERTIFICATE", f"reference certificate for {cn}, not after {active[-1]['expiry']}"),
                "expiry": active[-1]["expiry"],
                "keyAlgorithm": "RSA",
                "signatureAlgorithm": doc.get("signatureAlgorithm") or "SHA-256",
                "trustChain": pem("CERTIFICATE", "reference intermediate"),
            }
        return {
            "ocspStapled": False,
            "ocspUris": [],
            "networkConfiguration": {
                "geography": net["geography"],
                "secureNetwork": net["secureNetwork"],
                "sniOnly": net["sniOnly"],
                "quicEnabled": net["quicEnabled"],
                "mustHaveCiphers": net.get("mustHaveCiphers") or "ak-akamai-2020q1",
                "preferredCiphers": net.get("preferredCiphers") or "ak-akamai-2020q1",
                "ocspStapling": net.get("ocspStapling") or "on",
                "disallowedTlsVersions": net.get("disallowedTlsVersions") or [],
                "dnsNames": doc["csr"].get("sans") or [cn],
            },
            "primaryCertificate": primary,
            "multiStackedCertificates": [],
        }

    # ---- writes ----

    def create(self, contract, body):
        eid, cid = self.next_enrollment, self.next_change
        self.next_enrollment, self.next_change = eid + 1, cid + 1
        names = body["csr"].get("sans") or [body["csr"]["cn"]]
        entry = self._add(contract, eid, body["ra"], body["validationType"], body["certificateType"], names)
        entry["doc"].update({k: v for k, v in body.items() if k not in ("id", "location", "pendingChanges")})
        self._start(entry, cid, "new-certificate")
        return eid, cid

    def update(self, entry, body, cancel_pending):
        doc = entry["doc"]
        if self._pending(entry) and not cancel_pending:
            raise Problem(
                409,
                "Conflict",
                "The enrollment has a pending change; repeat with allow-cancel-pending-changes=true to cancel it.",
            )
        for change in self._pending(entry):
            self.cancel(entry, change)
        old_names = doc["csr"].get("sans")
        doc.update({k: v for k, v in body.items() if k not in ("id", "location", "pendingChanges")})
        change_type = "modify-san" if body["csr"].get("sans") != old_names else "modify-certificate"
        cid = self.next_change
        self.next_change += 1
        self._start(entry, cid, change_type)
        return cid

    def _start(self, entry, cid, change_type):
        ra = entry["doc"]["ra"]
        input_type = {
            "lets-encrypt": "lets-encrypt-challenges",
            "third-party": "third-party-certificate",
        }.get(ra, "pre-verification-warnings-acknowledgement")
        self._open_change(entry, cid, change_type, input_type)
        info = self.changes[cid]["info"]
        names = entry["doc"]["csr"].get("sans") or [entry["doc"]["csr"]["cn"]]
        if input_type == "lets-encrypt-challenges":
            self._dv(entry, cid, names)
        elif input_type == "third-party-certificate":
            csr = pem("CERTIFICATE REQUEST", f"reference CSR for {names[0]} (RSA)")
            info["third-party-csr"] = {
                cps("csr.v2"): {"csrs": [{"csr": csr, "keyAlgorithm": "RSA"}]},
                cps("csr.v1"): {"csr": csr},
            }
        else:
            info["pre-verification-warnings"] = {cps("warnings.v1"): {"warnings": "No overlapping names were found."}}

    def _pending(self, entry):
        eid = int(entry["doc"]["id"])
        return [
            change
            for change in self.changes.values()
            if change["enrollment"] == eid and change["statusInfo"]["state"] not in ("completed", "cancelled")
        ]

    def _close(self, entry, change, state, status, description):
        change["statusInfo"].update(state=state, status=status, description=description)
        change["allowedInput"] = []
        cid = next(k for k, v in self.changes.items() if v is change)
        pending = entry["doc"].get("pendingChanges") or []
        entry["doc"]["pendingChanges"] = [p for p in pending if not p["location"].endswith(f"/changes/{cid}")]
        for record in entry["history"]:
            if record["status"] == "incomplete":
                record["status"] = "completed" if state == "completed" else "cancelled"
                record["lastUpdated"] = iso(datetime.now(timezone.utc))
                break

    def cancel(self, entry, change):
        self._close(entry, change, "cancelled", "cancelled", "The change was cancelled.")

    def answer(self, entry, change, update_type, body):
        """An answer to the input a change waits for moves it on, one plausible step."""
        if body.get("acknowledgement") == "deny":
            self.cancel(entry, change)
            return
        info = change["statusInfo"]
        if update_type == "lets-encrypt-challenges-completed":
            change["allowedInput"] = []
            info.update(state="running", description="Let's Encrypt is validating the domains.")
        elif update_type == "third-party-cert-and-trust-chain":
            change["allowedInput"] = []
            info.update(state="running", status="verify-third-party-cert", description="Checking the uploaded certificate.")
        else:
            now = datetime.now(timezone.utc)
            self._close(entry, change, "completed", "complete", "The certificate is deployed.")
            for cert in entry["certs"]:
                cert["active"] = False
            entry["certs"].append({"issued": iso(now), "expiry": iso(now + timedelta(days=365)), "active": True})


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port, options):
        super().__init__(("127.0.0.1", port), Handler)
        self.options = options
        self.lock = threading.Lock()
        self.world = World(datetime.now(timezone.utc).replace(microsecond=0))
        self.log = []
        self.sequence = 0


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
                }
            )
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

    def json_body(self):
        try:
            value = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise bad(f"The body is not JSON: {error}")
        if not isinstance(value, dict):
            raise bad("The body must be a JSON object.")
        return value

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


def check_object(value, where, schema):
    if not isinstance(value, dict):
        raise bad(f"{where} must be a JSON object.")
    unknown = sorted(set(value) - set(schema["allowed"]))
    if unknown:
        raise bad(f"{where}: member(s) {', '.join(unknown)} are not in the schema, which allows no others.")
    missing = [name for name in schema["required"] if value.get(name) is None]
    if missing:
        raise bad(f"{where}: required member(s) {', '.join(missing)} missing.")
    for name, options in schema.get("enums", {}).items():
        if value.get(name) is not None and value[name] not in options:
            raise bad(f"{where}.{name}: {value[name]!r} is not one of {', '.join(options)}.")
    for name in schema.get("booleans", []):
        if name in value and not isinstance(value[name], bool):
            raise bad(f"{where}.{name} must be true or false.")


def check_enrollment(body):
    check_object(body, "enrollment", ENROLLMENT)
    check_object(body["csr"], "enrollment.csr", CSR)
    if not isinstance(body["csr"]["cn"], str) or not body["csr"]["cn"]:
        raise bad("enrollment.csr.cn must be a non-empty string.")
    check_object(body["networkConfiguration"], "enrollment.networkConfiguration", NETWORK)


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
    body = h.json_body()
    check_enrollment(body)
    eid, cid = world.create(contract, body)
    link = f"/cps/v2/enrollments/{eid}"
    return 202, {"enrollment": link, "changes": [f"{link}/changes/{cid}"]}, media, None


@route(E, "GET", "PUT", "DELETE")
def enrollment(h, e):
    world = h.server.world
    if h.command == "GET":
        media = h.accept_exactly(cps("enrollment.v11"))
        return 200, world.enrollment(e)["doc"], media, None
    media = h.accept_exactly(cps("enrollment-status.v1"))
    cancel = h.param("allow-cancel-pending-changes") == "true"
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
    body = h.json_body()
    check_enrollment(body)
    cid = world.update(entry, body, cancel)
    link = f"/cps/v2/enrollments/{e}"
    return 202, {"enrollment": link, "changes": [f"{link}/changes/{cid}"]}, media, None


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
    body = h.json_body()
    check_object(body, "deployment-schedule", {"allowed": ["notAfter", "notBefore"], "required": []})
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


ACK_SCHEMA = {
    "allowed": ["acknowledgement"],
    "required": ["acknowledgement"],
    "enums": {"acknowledgement": ["acknowledge", "deny"]},
}
BODY_SCHEMAS = {
    ACK: ACK_SCHEMA,
    ACK_HASH: dict(ACK_SCHEMA, allowed=["acknowledgement", "hash"], required=["acknowledgement", "hash"]),
    CHAIN_V1: {"allowed": ["certificate", "trustChain"], "required": ["certificate"]},
    CHAIN_V2: {"allowed": ["certificatesAndTrustChains"], "required": ["certificatesAndTrustChains"]},
}
CHAIN_ITEM = {
    "allowed": ["certificate", "keyAlgorithm", "trustChain"],
    "required": ["certificate", "keyAlgorithm"],
    "enums": {"keyAlgorithm": ["ECDSA", "RSA"]},
}


@route(E + C + r"/input/update/(?P<t>[^/]+)", "POST")
def input_update(h, e, c, t):
    entry, found = h.server.world.change(e, c)
    if t not in UPDATE_CONTENT:
        raise Problem(404, "Not Found", f"{t} is not an input update type; use one of {', '.join(UPDATE_CONTENT)}.")
    media = h.accept_exactly(cps("change-id.v1"))
    content = h.content_type(*UPDATE_CONTENT[t])
    offered = [i["update"].rsplit("/", 1)[-1] for i in found["allowedInput"]]
    if t not in offered:
        waits = ", ".join(offered) or "nothing"
        raise Problem(409, "Conflict", f"Change {c} does not wait for {t} now (it waits for: {waits}); read it again.")
    body = h.json_body()
    check_object(body, t, BODY_SCHEMAS[content])
    if content == CHAIN_V2:
        items = body["certificatesAndTrustChains"]
        if not isinstance(items, list) or not items:
            raise bad("certificatesAndTrustChains must be a non-empty array.")
        for item in items:
            check_object(item, "certificatesAndTrustChains[]", CHAIN_ITEM)
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
    body = h.json_body()
    missing = [m for m in ("productId", "domainPrefix", "domainSuffix", "ipVersionBehavior") if body.get(m) is None]
    if missing:
        raise bad(f"Required member(s) {', '.join(missing)} missing.")
    if body["ipVersionBehavior"] not in ("IPV4", "IPV6_COMPLIANCE"):
        raise bad("ipVersionBehavior must be IPV4 or IPV6_COMPLIANCE.")
    network = body.get("secureNetwork")
    if network is not None and network not in ("ENHANCED_TLS", "STANDARD_TLS", "SHARED_CERT"):
        raise bad("secureNetwork must be ENHANCED_TLS, STANDARD_TLS or SHARED_CERT.")
    if network == "ENHANCED_TLS":
        if body["domainSuffix"] != "edgekey.net":
            raise bad("An ENHANCED_TLS edge hostname takes the domainSuffix edgekey.net.")
        enrollment_id = body.get("certEnrollmentId")
        if not isinstance(enrollment_id, int) or isinstance(enrollment_id, bool):
            raise bad("An ENHANCED_TLS edge hostname needs certEnrollmentId, an integer.")
        if enrollment_id not in world.contracts[contract]:
            raise bad(f"certEnrollmentId {enrollment_id} is not an enrollment of ctr_{contract}.")
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
