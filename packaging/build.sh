#!/usr/bin/env bash
# Rebuilds the local NuGet feed (packaging/feed) from the checked-in .nuspec. The .nupkg it makes is committed too,
# so a fresh clone restores with plain `dotnet restore`; run this after editing the .nuspec (it always repacks).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
feed="$here/feed"
mkdir -p "$feed"
rm -f "$feed"/*.nupkg
dotnet pack "$here/Patched.DistributedLock.Postgres/Pack.csproj" -o "$feed" --nologo -v quiet \
  -p:ManagePackageVersionsCentrally=false >/dev/null
