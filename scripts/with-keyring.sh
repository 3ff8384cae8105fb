#!/usr/bin/env bash
# Runs a command inside a D-Bus session with an unlocked gnome-keyring, so keychain tests talk to a
# real Secret Service. Where no D-Bus session tools are installed it runs the command as it is (the
# keychain tests then say why they are skipped).
set -euo pipefail
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  exec dbus-run-session -- bash -c 'echo -n canopy-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"' bash "$@"
fi
exec "$@"
