#!/bin/sh
# Fetch SQLite 3.40.1's sources (Debian bookworm's source package) for their Tcl test files,
# and install Debian's Tcl binding for libsqlite3.
#
#   tools/sqlite-tcl/fetch.sh [DIR]      DIR defaults to $SQLITE_SRC, then /tmp/sqsrc
#
# The sources are only read at run time (test/*.test); nothing of them enters the repo.
set -eu
dest=${1:-${SQLITE_SRC:-/tmp/sqsrc}}

need_update=0
# apt-get source needs deb-src entries; the image ships binary ones only.
if ! grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
  else
    echo 'deb-src http://deb.debian.org/debian bookworm main' >> /etc/apt/sources.list
  fi
  need_update=1
fi
if [ "$need_update" = 1 ] || [ -z "$(apt-cache showsrc sqlite3 2>/dev/null)" ]; then
  apt-get update -qq
fi

# tcllib gives the md5 command the checksum helpers use.
if ! dpkg -s libsqlite3-tcl tcl tcllib >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tcl libsqlite3-tcl tcllib >/dev/null
fi
# dpkg-source unpacks the source package.
command -v dpkg-source >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dpkg-dev >/dev/null

mkdir -p "$dest"
if ! ls -d "$dest"/sqlite3-*/test >/dev/null 2>&1; then
  (cd "$dest" && apt-get source -qq sqlite3)
fi
src=$(ls -d "$dest"/sqlite3-*/ | head -n1)
src=${src%/}
[ -f "$src/test/tester.tcl" ] || { echo "fetch.sh: no test/tester.tcl under $src" >&2; exit 1; }
if [ "$dest/src" != "$src" ]; then
  rm -f "$dest/src"
  ln -s "$src" "$dest/src"
fi
echo "$dest/src"
