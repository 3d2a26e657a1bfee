#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 (trust auth, user postgres):
# start the local cluster when it is installed but stopped, install it when it is missing.
set -euo pipefail
HOST=${HOFBURG_PG_HOST:-127.0.0.1}
PORT=${HOFBURG_PG_PORT:-5432}

ready() { pg_isready -q -h "$HOST" -p "$PORT" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "Installing PostgreSQL from Debian's packages"
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

if ! ready; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$version" ]; then
    echo "No PostgreSQL cluster found under /etc/postgresql" >&2
    exit 1
  fi
  echo "Starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
ready || { echo "PostgreSQL does not answer on $HOST:$PORT" >&2; exit 1; }
echo "PostgreSQL answers on $HOST:$PORT"
