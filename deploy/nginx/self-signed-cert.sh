#!/bin/sh
# A self-signed TLS certificate for local use (the scale-out test, `docker compose up`), never for
# production and never committed: it is generated at run time into the given directory.
#
#   deploy/nginx/self-signed-cert.sh DIR [HOST ...]     (hosts default to localhost)
#
# Writes DIR/tls.crt and DIR/tls.key; an existing pair is kept (idempotent) while it has more than
# a day left, and made again otherwise (it lasts 30 days; a compose volume outlives that).
set -eu
dir=${1:?usage: self-signed-cert.sh DIR [HOST ...]}
shift
[ "$#" -gt 0 ] || set -- localhost
if [ -s "$dir/tls.crt" ] && [ -s "$dir/tls.key" ] &&
  openssl x509 -checkend 86400 -noout -in "$dir/tls.crt" >/dev/null 2>&1; then
  exit 0
fi
mkdir -p "$dir"
san="IP:127.0.0.1,IP:::1"
for host in "$@"; do san="DNS:$host,$san"; done
umask 077
tmp=$(mktemp -d "$dir/.new.XXXXXX")
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 30 \
  -subj "/CN=$1/O=OpenDispatch local" -addext "subjectAltName=$san" \
  -keyout "$tmp/tls.key" -out "$tmp/tls.crt" 2>/dev/null
# The key stays 0600 (nginx's master reads it before starting workers); the certificate is public.
chmod 644 "$tmp/tls.crt"
mv "$tmp/tls.key" "$dir/tls.key"
mv "$tmp/tls.crt" "$dir/tls.crt"
rmdir "$tmp"
