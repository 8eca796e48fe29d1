"""The reference server's world: contracts, enrollments, their changes and edge hostnames,
and how a change moves when it is answered. Imported by server.py; see its docstring.

Every method of World runs under the server's one lock. Status codes and states are the
ones Akamai's definitions and documentation name (including the API's own misspelling
coodinate-domain-validation); the data is ours.
"""

import base64
import hashlib
import json
from datetime import datetime, timedelta, timezone


def cps(name):
    return f"application/vnd.akamai.cps.{name}+json"


class Problem(Exception):
    """An error answer (application/problem+json); field names the body member at fault."""

    def __init__(self, status, title, detail, headers=None, field=None, errors=None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers or {}
        self.field, self.errors = field, errors


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

# allowedInput[].type -> (the info link's name, the update link's name, statusInfo.status and
# .description while the change waits for it).
INPUTS = {
    "lets-encrypt-challenges": (
        "lets-encrypt-challenges",
        "lets-encrypt-challenges-completed",
        "coodinate-domain-validation",  # sic: the API's own spelling of "coordinate"
        "Waiting for the Let's Encrypt challenges to be answered.",
    ),
    "pre-verification-warnings-acknowledgement": (
        "pre-verification-warnings",
        "pre-verification-warnings-ack",
        "wait-review-pre-verification-safety-checks",
        "Waiting for the pre-verification warnings to be acknowledged.",
    ),
    "post-verification-warnings-acknowledgement": (
        "post-verification-warnings",
        "post-verification-warnings-ack",
        "wait-review-cert-warning",
        "Waiting for the post-verification (certificate) warnings to be acknowledged.",
    ),
    "change-management": (
        "change-management-info",
        "change-management-ack",
        "wait-ack-change-management",
        "Waiting for you to acknowledge the change before it is deployed to production.",
    ),
    "third-party-certificate": (
        "third-party-csr",
        "third-party-cert-and-trust-chain",
        "wait-upload-third-party",
        "Waiting for the third-party certificate and its trust chain.",
    ),
}
# The inputs a new change waits for, one after the other, by the enrollment's ra. Our CA and
# our networks work instantly: once one input is answered the next one is asked for at once.
# An enrollment with changeManagement: true waits for change-management last.
PLANS = {
    "lets-encrypt": ["lets-encrypt-challenges"],
    "symantec": ["pre-verification-warnings-acknowledgement", "post-verification-warnings-acknowledgement"],
    "third-party": ["third-party-certificate"],
}
# What a change does once its last input (before change management) is answered.
AFTER_LAST = {
    "lets-encrypt-challenges-completed": ("deploy-to-staging", "The certificate is issued and deploying."),
    "pre-verification-warnings-ack": ("wait-ca-validation", "The certificate authority is validating."),
    "post-verification-warnings-ack": ("deploy-to-staging", "The certificate is issued and deploying."),
    "third-party-cert-and-trust-chain": ("verify-third-party-cert", "Checking the uploaded certificate."),
}
# Members a client may send back but that the server owns.
SERVER_OWNED = {"id", "location", "pendingChanges", "assignedSlots", "productionSlots", "stagingSlots"}
# Account facts a PUT may leave out without erasing them.
KEPT_WHEN_ABSENT = {"orgId", "maxAllowedSanNames", "maxAllowedWildcardSanNames"}
RENEWAL_WINDOW = timedelta(days=30)


class World:
    """Everything the server knows; every method runs under the server's one lock."""

    def __init__(self, now):
        self.now = now
        self.contracts = {"C-0REF01": [], "C-0REF02": []}
        self.enrollments = {}  # id -> {"doc", "contract", "certs", "history", "dv_history"}
        # id -> {"id", "enrollment", "changeType", "statusInfo", "allowedInput", "info",
        # "plan" (the inputs still to wait for, in order)}
        self.changes = {}
        self.edge_hostnames = []
        self.next_enrollment, self.next_change, self.next_edge = 72201, 88201, 5100002
        self._seed()

    # ---- the world at start ----

    def _seed(self):
        now, day = self.now, timedelta(days=1)
        one = ["www.judge-one.example", "judge-one.example", "static.judge-one.example"]
        a = self._add("C-0REF01", 72001, "lets-encrypt", "dv", "san", one)
        first = self._open_change(a, 88001, "new-certificate")
        challenges = self._dv(a, 88001, one, valid={"static.judge-one.example"}, lower={"judge-one.example"})
        first["info"]["lets-encrypt-challenges"] = challenges

        shop = ["shop.judge-one.example", "checkout.judge-one.example"]
        b = self._add("C-0REF01", 72002, "symantec", "ov", "san", shop, cps_api=True)
        self._issue(b, now - 340 * day, now + 25 * day)
        renewal = self._open_change(b, 88002, "renewal")
        renewal["info"]["pre-verification-warnings"][cps("warnings.v1")]["warnings"] = (
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
        self._open_change(e, 88102, "new-certificate")

        # An OV renewal past its pre-verification checks, waiting for the certificate's
        # (post-verification) warnings to be acknowledged.
        portal = ["portal.judge-two.example", "portal-eu.judge-two.example"]
        f = self._add("C-0REF02", 72103, "symantec", "ov", "san", portal)
        self._issue(f, now - 320 * day, now + 45 * day)
        checked = self._open_change(f, 88103, "renewal", plan=["post-verification-warnings-acknowledgement"])
        checked["info"]["post-verification-warnings"][cps("warnings.v1")]["warnings"] = (
            "The certificate authority issued the certificate with the organization name "
            "Reference Widgets Limited, not Reference Widgets Ltd as requested."
        )

        # A DV renewal under change management: validated and on staging, waiting for the
        # operator's acknowledgement (with the info's hash) before it goes to production.
        pay = ["pay.judge-two.example", "pay-api.judge-two.example"]
        g = self._add("C-0REF02", 72104, "lets-encrypt", "dv", "san", pay)
        g["doc"]["changeManagement"] = True
        self._issue(g, now - 50 * day, now + 40 * day)
        g["dv_history"] = self._dv_entries(pay, "72104", valid_all=True, at=now - 2 * day)
        managed = self._open_change(g, 88104, "renewal", plan=["change-management"])
        managed["info"]["change-management-info"] = self._change_management_info(
            g, warnings=["pay-api.judge-two.example resolves to an origin that answered 503 on staging."]
        )

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

    def _plan(self, doc):
        plan = list(PLANS[doc["ra"]])
        if doc.get("changeManagement"):
            plan.append("change-management")
        return plan

    def _open_change(self, entry, cid, change_type, plan=None):
        """A new pending change on the enrollment, waiting for the first input of its plan."""
        eid = entry["doc"]["id"]
        root = entry["doc"]["location"].rsplit("/enrollments/", 1)[0]
        pending = entry["doc"].get("pendingChanges") or []
        entry["doc"]["pendingChanges"] = pending + [
            {"location": f"{root}/enrollments/{eid}/changes/{cid}", "changeType": change_type}
        ]
        change = {
            "id": cid,
            "enrollment": int(eid),
            "changeType": change_type,
            "statusInfo": {
                "state": "new",
                "status": "new",
                "description": "The change is new.",
                "error": None,
                "deploymentSchedule": {"notBefore": None, "notAfter": None},
            },
            "allowedInput": [],
            "info": {},  # info name -> {media type -> representation}
            "plan": plan if plan is not None else self._plan(entry["doc"]),
        }
        self.changes[cid] = change
        action = "renew" if change_type == "renewal" else change_type
        self._history(entry, action, "incomplete", self.now - timedelta(hours=20), False)
        self._await_next(entry, change)
        return change

    def _await_next(self, entry, change):
        """The change now waits for the next input of its plan."""
        input_type = change["plan"].pop(0)
        info, update, status, description = INPUTS[input_type]
        base = f"/cps/v2/enrollments/{change['enrollment']}/changes/{change['id']}/input"
        change["statusInfo"].update(state="awaiting-input", status=status, description=description)
        change["allowedInput"] = [
            {
                "type": input_type,
                "requiredToProceed": True,
                "info": f"{base}/info/{info}",
                "update": f"{base}/update/{update}",
            }
        ]
        if info not in change["info"]:
            change["info"][info] = self._info(entry, change, info)

    def _info(self, entry, change, name):
        """What the info link of an input serves, by media type (a seed may replace it)."""
        doc = entry["doc"]
        names = doc["csr"].get("sans") or [doc["csr"]["cn"]]
        if name == "lets-encrypt-challenges":
            return self._dv(entry, change["id"], names)
        if name == "pre-verification-warnings":
            return {cps("warnings.v1"): {"warnings": "No overlapping names were found."}}
        if name == "post-verification-warnings":
            return {cps("warnings.v1"): {"warnings": "The certificate authority raised no warnings."}}
        if name == "third-party-csr":
            csr = pem("CERTIFICATE REQUEST", f"reference CSR for {names[0]} (RSA)")
            return {cps("csr.v2"): {"csrs": [{"csr": csr, "keyAlgorithm": "RSA"}]}, cps("csr.v1"): {"csr": csr}}
        return self._change_management_info(entry)

    def _change_management_info(self, entry, warnings=()):
        """change-management-info.v5: the certificate and network settings about to go to
        production, what validation found, and the hash an acknowledgement must repeat.
        v5 has no CN/SAN/expiry members: they are in the certificate itself (ours is a
        readable stand-in) and in the deployment.v7 form of the same info."""
        doc, net = entry["doc"], entry["doc"]["networkConfiguration"]
        names = doc["csr"].get("sans") or [doc["csr"]["cn"]]
        expiry = self._pending_expiry(doc)
        issuer = {"lets-encrypt": "Reference ACME Intermediate", "symantec": "Reference OV Intermediate"}.get(
            doc["ra"], "the uploader's CA"
        )
        certificate = pem(
            "CERTIFICATE",
            f"pending certificate; subject CN={doc['csr']['cn']}; subjectAltName {', '.join(names)}; "
            f"issuer CN={issuer}; notAfter {expiry}",
        )
        settings = net.get("dnsNameSettings") or {}
        pending = {
            "pendingCertificates": [
                {
                    "certificateType": doc["certificateType"],
                    "fullCertificate": certificate,
                    "keyAlgorithm": "RSA",
                    "ocspStapled": False,
                    "ocspUris": None,
                    "signatureAlgorithm": doc.get("signatureAlgorithm") or "SHA-256",
                }
            ],
            "pendingNetworkConfiguration": {
                "disallowedTlsVersions": net.get("disallowedTlsVersions") or [],
                "dnsNameSettings": {
                    "cloneDnsNames": bool(settings.get("cloneDnsNames")),
                    "dnsNames": settings.get("dnsNames") or [],
                },
                "mustHaveCiphers": net.get("mustHaveCiphers") or "ak-akamai-2020q1",
                "networkType": None,
                "ocspStapling": net.get("ocspStapling") or "not-set",
                "preferredCiphers": net.get("preferredCiphers") or "ak-akamai-2020q1",
                "quicEnabled": net["quicEnabled"],
                "sniOnly": net["sniOnly"],
            },
        }
        result = {
            "errors": None,
            "warnings": [{"message": text, "messageCode": "no-code"} for text in warnings],
        }
        digest = hashlib.sha1(json.dumps([pending, result], sort_keys=True).encode()).hexdigest()
        view = self.deployment(entry)
        view["primaryCertificate"] = {
            "certificate": certificate,
            "expiry": expiry,
            "keyAlgorithm": "RSA",
            "signatureAlgorithm": doc.get("signatureAlgorithm") or "SHA-256",
            "trustChain": pem("CERTIFICATE", f"reference intermediate {issuer}"),
        }
        v5 = {
            "acknowledgementDeadline": iso(self.now + timedelta(days=5)),
            "pendingState": pending,
            "validationResult": result,
            "validationResultHash": digest,
        }
        return {cps("change-management-info.v5"): v5, cps("deployment.v7"): view}

    def _pending_expiry(self, doc):
        return iso(self.now + timedelta(days=90 if doc["ra"] == "lets-encrypt" else 365))

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
        entry["dv_history"] = dv
        return {cps("dv-challenges.v2"): {"dv": dv}, cps("dv-challenges.v1"): {"challenges": flat}}

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

    def create(self, contract, body, schedule):
        """A new enrollment with its new-certificate change; returns both ids."""
        eid, cid = self.next_enrollment, self.next_change
        self.next_enrollment, self.next_change = eid + 1, cid + 1
        names = body["csr"].get("sans") or [body["csr"]["cn"]]
        entry = self._add(contract, eid, body["ra"], body["validationType"], body["certificateType"], names)
        entry["doc"].update({k: v for k, v in body.items() if k not in SERVER_OWNED})
        change = self._open_change(entry, cid, "new-certificate")
        change["statusInfo"]["deploymentSchedule"] = schedule
        return eid, cid

    def update(self, entry, body, flags, schedule):
        """PUT: the body replaces the enrollment. Returns the status (202 when a change was
        started, 200 when none was needed) and the ids of the enrollment's pending changes.

        Published query flags followed here: allow-cancel-pending-changes (cancel pending
        changes to start the new one; without it a pending change refuses a change that
        needs a new certificate, 409), force-renewal (start a renewal even when nothing
        else changed), renewal-date-check-override (a change other than a renewal is refused
        while the certificate is within its renewal window, 30 days here, unless set),
        deploy-not-after/-before (the new change's schedule). allow-staging-bypass and
        allow-missing-certificate-addition are accepted and change nothing in this world."""
        doc = entry["doc"]
        differs = [k for k in CERTIFICATE_MEMBERS if _bare(body.get(k)) != _bare(doc.get(k))]
        renew = flags.get("force-renewal", False)
        pending = self._pending(entry)
        if not differs and not renew:
            self._replace(doc, body)
            return 200, [change["id"] for change in pending]
        if pending and not flags.get("allow-cancel-pending-changes", False):
            raise Problem(
                409,
                "Conflict",
                f"Enrollment {doc['id']} has a pending change; to replace it, repeat with "
                "allow-cancel-pending-changes=true.",
            )
        active = [cert for cert in entry["certs"] if cert["active"]]
        if active and not renew and not flags.get("renewal-date-check-override", False):
            left = datetime.strptime(active[-1]["expiry"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc) - self.now
            if timedelta(0) < left <= RENEWAL_WINDOW:
                raise Problem(
                    409,
                    "Conflict",
                    f"The certificate of enrollment {doc['id']} expires within the renewal window; "
                    "to change it now, repeat with renewal-date-check-override=true.",
                )
        for change in pending:
            self.cancel(entry, change)
        names_before = (doc["csr"].get("cn"), doc["csr"].get("sans"))
        self._replace(doc, body)
        if renew:
            change_type = "renewal"
        elif (doc["csr"].get("cn"), doc["csr"].get("sans")) != names_before:
            change_type = "modify-san"
        else:
            change_type = "modify-certificate"
        cid = self.next_change
        self.next_change += 1
        change = self._open_change(entry, cid, change_type)
        change["statusInfo"]["deploymentSchedule"] = schedule
        return 202, [cid]

    def _replace(self, doc, body):
        kept = {k: doc[k] for k in SERVER_OWNED if k in doc}
        kept.update({k: doc[k] for k in KEPT_WHEN_ABSENT if k in doc and body.get(k) is None})
        doc.clear()
        doc.update({k: v for k, v in body.items() if k not in SERVER_OWNED}, **kept)

    def _pending(self, entry):
        eid = int(entry["doc"]["id"])
        return [
            change
            for change in self.changes.values()
            if change["enrollment"] == eid and change["statusInfo"]["state"] not in ("completed", "cancelled")
        ]

    def _close(self, entry, change, state, status, description):
        change["statusInfo"].update(state=state, status=status, description=description)
        change["allowedInput"], change["plan"] = [], []
        pending = entry["doc"].get("pendingChanges") or []
        ending = f"/changes/{change['id']}"
        entry["doc"]["pendingChanges"] = [p for p in pending if not p["location"].endswith(ending)]
        for record in entry["history"]:
            if record["status"] == "incomplete":
                record["status"] = "completed" if state == "completed" else "cancelled"
                record["lastUpdated"] = iso(datetime.now(timezone.utc))
                break

    def cancel(self, entry, change):
        self._close(entry, change, "cancelled", "cancelled", "The change was cancelled.")

    def answer(self, entry, change, update_type, body):
        """An answer to the input a change waits for: deny cancels the change; otherwise it
        moves on to the next input of its plan, or (after the last) to what follows."""
        if body.get("acknowledgement") == "deny":
            self.cancel(entry, change)
            return
        if update_type == "change-management-ack":
            held = change["info"]["change-management-info"][cps("change-management-info.v5")]
            if "hash" in body and body["hash"] != held["validationResultHash"]:
                raise Problem(
                    400,
                    "Bad Request",
                    "hash does not match the validationResultHash of the change-management info; read it again.",
                    field="hash",
                )
            self._close(entry, change, "completed", "complete", "The certificate is deployed to production.")
            for cert in entry["certs"]:
                cert["active"] = False
            now = datetime.now(timezone.utc)
            entry["certs"].append({"issued": iso(now), "expiry": self._pending_expiry(entry["doc"]), "active": True})
            return
        if update_type == "third-party-cert-and-trust-chain":
            uploaded = body.get("certificatesAndTrustChains", [body])
            if not uploaded or not all(item.get("certificate") for item in uploaded):
                raise Problem(400, "Bad Request", "No certificate was uploaded.", field="certificate")
        if change["plan"]:
            self._await_next(entry, change)
            return
        status, description = AFTER_LAST[update_type]
        change["allowedInput"] = []
        change["statusInfo"].update(state="running", status=status, description=description)


# Members whose change needs a new certificate or a new deployment, hence a change.
CERTIFICATE_MEMBERS = [
    "certificateChainType",
    "certificateType",
    "csr",
    "enableMultiStackedCertificates",
    "networkConfiguration",
    "ra",
    "signatureAlgorithm",
    "thirdParty",
    "validationType",
]


def _bare(value):
    """A value with its null members dropped, so an absent member equals a null one."""
    if isinstance(value, dict):
        return {k: _bare(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_bare(v) for v in value]
    return value
