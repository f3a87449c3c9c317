#!/usr/bin/env bash
# Open data as portals reach it: harvest.py against a real host, with the PyPI clients sickle
# and sruthi (in a virtual environment of their own, kept between runs) and xmllint.
#
#   bash tests/open-data/run.sh path/to/archivedesk
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
venv="${ARCHIVEDESK_TOOLS:-/var/cache/archivedesk-tools}/open-data-venv"
clients=(sickle==0.7.0 sruthi==2.0.0)

command -v xmllint >/dev/null || { echo "xmllint not found (Debian: libxml2-utils)" >&2; exit 1; }
if ! "$venv/bin/python" -c "import sickle, sruthi" 2>/dev/null; then
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "${clients[@]}"
fi
cd "$here"
exec "$venv/bin/python" -W ignore harvest.py "$binary"
