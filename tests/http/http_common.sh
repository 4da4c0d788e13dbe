# Sourced by the HTTP test scripts after tests/acceptance/common.sh.

# http_base LOG: the HTTP base URL from a heluo-server start-up line ("…; HTTP on http://127.0.0.1:PORT").
http_base() {
  grep -o 'HTTP on https\?://127\.0\.0\.1:[0-9]*' "$1" | head -1 | sed 's/^HTTP on //'
}
