#!/usr/bin/env bash
# Makes a self-contained linux-x64 publish of the benchmark CLI for a GPU machine that has no .NET installed
# (the device machines lent to some sessions), packed small enough to travel with the working tree.
#
#   tests/Market.Benchmarks/publish-gpu.sh            -> artifacts/gpu-bench/market-bench.tar.xz (git-ignored)
#
# On the GPU machine (see README.md, "Match index"):
#   mkdir -p /tmp/mb && tar -xJf artifacts/gpu-bench/market-bench.tar.xz -C /tmp/mb && /tmp/mb/Market.Benchmarks index-allpairs --n 1000000 --gpu --no-cpu
#
# The index verbs need only Market.Domain and ILGPU (ILGPU finds CUDA through the driver's libcuda.so at run time),
# so the image libraries' native files (OpenCV, libvips: tens of MiB) are left out of the archive; the other verbs
# will not run from it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/artifacts/gpu-bench"   # artifacts/ is git-ignored
publish="$out/publish"
cd "$root"
rm -rf "$publish" && mkdir -p "$publish"
dotnet publish tests/Market.Benchmarks -c Release -r linux-x64 --self-contained true \
  -p:InvariantGlobalization=true -p:DebugType=none -o "$publish" -v quiet -clp:ErrorsOnly
# Native image libraries the index verbs never load.
find "$publish" \( -name 'libOpenCvSharpExtern*.so' -o -name 'libvips*.so*' -o -name 'libopencv*' \) -delete
rm -rf "$publish/runtimes"
# The debugger's helpers (no debugger there).
rm -f "$publish/libmscordaccore.so" "$publish/libmscordbi.so" "$publish/createdump"
XZ_OPT=-6 tar -cJf "$out/market-bench.tar.xz" -C "$publish" .
du -sh "$publish"
# Only the archive should travel (carry artifacts/gpu-bench): the device tool carries 64 MiB in all, the
# repository included (~13 MiB), so xz rather than gzip (gzip: 60 MiB, too much) and not the unpacked folder.
rm -rf "$publish"
du -sh "$out/market-bench.tar.xz"
