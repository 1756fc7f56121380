#!/usr/bin/env bash
# Sourced by test.sh: makes sure Chromium is installed (Debian package "chromium"), which the dashboard page tests run
# headless to render and screenshot the pages.

if [ ! -x /usr/bin/chromium ]; then
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  echo "Installing Chromium (Debian package chromium)..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "$(/usr/bin/chromium --version 2>/dev/null) for the page tests"
