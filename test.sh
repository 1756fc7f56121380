#!/usr/bin/env bash
# Runs every test of Journeys.Orleans on this machine: builds the solution and runs the test projects.
# Needs only the .NET 10 SDK.
set -euo pipefail
cd "$(dirname "$0")"

dotnet build Journeys.Orleans.sln -c Release -nologo -v minimal
dotnet test Journeys.Orleans.sln -c Release --no-build -nologo "$@"
