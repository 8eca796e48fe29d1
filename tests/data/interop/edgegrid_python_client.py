"""Akamai's own Python client (edgegrid-python) against a running `spsdash sim`.

Usage: edgegrid_python_client.py EDGERC
Signs every call with akamai.edgegrid.EdgeGridAuth, exactly as Akamai's users do, and checks
the simulator accepts it; then signs with a wrong secret and checks it is refused. Prints one
line per check and exits non-zero on the first failure.
"""

import sys

import requests
from akamai.edgegrid import EdgeGridAuth, EdgeRc

SPS = "/config-secure-provisioning-service/v1"


def expect(label, response, status):
    print(f"{label}: {response.status_code}")
    if response.status_code != status:
        sys.exit(f"{label}: expected {status}, got {response.status_code}: {response.text[:300]}")
    return response


def main(edgerc_path):
    edgerc = EdgeRc(edgerc_path)
    host = edgerc.get("default", "host")
    session = requests.Session()
    session.auth = EdgeGridAuth.from_edgerc(edgerc, "default")

    groups = expect("groups", session.get(host + "/papi/v1/groups"), 200).json()
    group = groups["groups"]["items"][0]
    pair = {
        "contractId": group["contractIds"][0].removeprefix("ctr_"),
        "groupId": group["groupId"].removeprefix("grp_"),
    }
    listed = expect("list", session.get(host + SPS + "/sps-requests", params=pair), 200).json()
    assert isinstance(listed["requestList"], list), listed

    form = [
        ("cnameHostname", "py.example.com"), ("createType", "san"), ("issuer", "lets-encrypt"),
        ("csr.cn", "py.example.com"), ("csr.c", "US"), ("csr.st", "MA"),
        ("csr.l", "Cambridge"), ("csr.o", "Example Corp"), ("csr.ou", "Web"),
        ("csr.sans", "py.example.com"), ("csr.sans", "www.py.example.com"),
        ("organization-information.organization-name", "Example Corp"),
        ("organization-information.address-line-one", "1 Main St"),
        ("organization-information.city", "Cambridge"),
        ("organization-information.region", "MA"),
        ("organization-information.postal-code", "02142"),
        ("organization-information.country", "US"),
        ("organization-information.phone", "+1 617 555 0100"),
        ("admin-contact.first-name", "Ann"), ("admin-contact.last-name", "Lee"),
        ("admin-contact.phone", "+1 617 555 0101"), ("admin-contact.email", "ann@example.com"),
        ("technical-contact.first-name", "Tom"), ("technical-contact.last-name", "Ray"),
        ("technical-contact.phone", "+1 617 555 0102"),
        ("technical-contact.email", "tom@example.com"),
        ("ipVersion", "ipv4"), ("slot-deployment.klass", "esslType"),
        ("signature-algorithm", "SHA-256"), ("sni-only", "true"),
    ]
    created = expect(
        "create", session.post(host + SPS + "/sps-requests", params=pair, data=form), 202
    ).json()
    one = expect(
        "read",
        session.get(
            host + SPS + f"/sps-requests/{created['spsId']}",
            params={**pair, "information": "true"},
        ),
        200,
    ).json()["requestList"][0]
    assert one["spsId"] == created["spsId"], one
    names = [p["value"] for p in one["parameters"] if p["name"] == "csr.sans"]
    assert names == ["py.example.com", "www.py.example.com"], names

    forged = requests.Session()
    forged.auth = EdgeGridAuth(
        client_token=edgerc.get("default", "client_token"),
        client_secret="not-the-secret",
        access_token=edgerc.get("default", "access_token"),
    )
    expect("wrong secret", forged.get(host + "/papi/v1/groups"), 401)
    print("edgegrid-python interop ok")


if __name__ == "__main__":
    main(sys.argv[1])
