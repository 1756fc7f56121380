#!/usr/bin/env bash
# Runs every test of Journeys.Orleans on this machine. Needs the .NET 10 SDK and Node.js; installs PostgreSQL (Debian
# package postgresql) when it is missing and starts a throwaway server on 127.0.0.1 for the tests, stopped at the end;
# installs Segment's Node client (npm ci) for the compatibility test; installs Chromium (Debian package chromium) when
# /usr/bin/chromium is missing, for the dashboard page tests, which run it headless.
set -euo pipefail
cd "$(dirname "$0")"

if [ -z "${JOURNEYS_TEST_POSTGRES:-}" ]; then
  source scripts/test-postgres.sh
fi

source scripts/ensure-chromium.sh

# Segment's official Node client, which a test points at the silo (Node.js and npm come with the machine).
(cd tests/segment-node && npm ci --no-audit --no-fund --loglevel=error)

dotnet build Journeys.Orleans.sln -c Release -nologo -v minimal
dotnet test Journeys.Orleans.sln -c Release --no-build -nologo "$@"
