"""``python -m auditor.fixtureserver [SITES_DIR]``: serve fixture portals until Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from pathlib import Path

from auditor.demo import DEMO_AS_OF, demo_registry, demo_sites
from auditor.errors import AuditorError
from auditor.fixtureserver.server import FixtureServer
from auditor.paths import fixtures_dir
from auditor.registry import load_registry


def _suggestions(sites_dir: Path, hosts: list[str], flags: str) -> list[str]:
    """The commands that audit what is served: for the bundled demo, the province portal and
    the whole province with the audit date its content is written for."""
    if sites_dir.resolve() != demo_sites().resolve():
        return [f"auditor scan {hosts[0] if hosts else 'HOST'} {flags}"]
    try:
        registry = load_registry(demo_registry())
    except AuditorError:
        return [f"auditor scan {hosts[0] if hosts else 'HOST'} {flags}"]
    province = next((a for a in registry.agencies if a.level == "province"), None)
    as_of = f"--as-of {DEMO_AS_OF.isoformat()}"
    lines = []
    if province is not None:
        lines.append(f"auditor scan {province.domain} {flags} {as_of}")
    lines.append(f"auditor scan --registry {demo_registry()} {flags} {as_of}")
    return lines


def _curl_host(sites_dir: Path, hosts: list[str]) -> str:
    if sites_dir.resolve() == demo_sites().resolve() and "soctrang.gov.vn" in hosts:
        return "soctrang.gov.vn"
    return hosts[0] if hosts else "HOST"


def main(argv: list[str] | None = None) -> int:
    """Serve ``SITES_DIR`` (default: the bundled demo portals) and print how to reach it."""
    parser = argparse.ArgumentParser(
        prog="python -m auditor.fixtureserver",
        description="Serve fixture portals (one folder per host) over HTTP and HTTPS on loopback.",
    )
    parser.add_argument("sites_dir", nargs="?", type=Path, default=fixtures_dir() / "sites")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(message)s",
    )
    try:
        server = FixtureServer(args.sites_dir, host=args.host).start()
    except AuditorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    addr = f"[{args.host}]" if ":" in args.host else args.host
    flags = (
        f"--connect-to :443:{addr}:{server.https_port} "
        f"--connect-to :80:{addr}:{server.http_port} --ca-bundle {server.ca_pem_path} "
        f"--dns-server {server.dns_server}"
    )
    hosts = sorted({site.name for site in server.sites.values()})
    print(f"Serving {len(hosts)} sites from {args.sites_dir}")
    print(f"  HTTP  {args.host}:{server.http_port}")
    print(f"  HTTPS {args.host}:{server.https_port}")
    print(f"  DNS   {server.dns_server}")
    print(f"  CA    {server.ca_pem_path}")
    print(f"  hosts {', '.join(hosts)}")
    print()
    for line in _suggestions(args.sites_dir, hosts, flags):
        print(line)
    print(
        f"curl --connect-to :443:{addr}:{server.https_port} --cacert {server.ca_pem_path} "
        f"https://{_curl_host(sites_dir=args.sites_dir, hosts=hosts)}/"
    )
    try:  # the line is printed inside: a Ctrl-C right after it still ends cleanly
        print("Ctrl-C to stop.", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
