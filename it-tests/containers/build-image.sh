#!/usr/bin/env bash
# Builds the image of the container cluster tests, locally, since no registry is reachable:
#   1. a Debian bookworm root file system by debootstrap, imported as the base image;
#   2. on top, a JRE 17 from apt and Spark's jars as Maven resolves them (containers/pom.xml).
# Does nothing if the image exists. Needs root, debootstrap, and docker (DOCKER_HOST honoured).
# Prints the image's name on its last line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$here/../target/image-build"
rm -rf "$work"
mkdir -p "$work/context/jars"

# Spark's jars first: their version names the image, so that a new Spark gets a new image.
mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="$work/context/jars" >&2
spark_core=$(ls "$work/context/jars" | grep -E '^spark-core_[0-9.]+-.*\.jar$')
version=${spark_core#spark-core_*-}
version=${version%.jar}
image="lazyq-it-spark:$version"
base="lazyq-it-bookworm:minbase"

if docker image inspect "$image" >/dev/null 2>&1; then
  rm -rf "$work"
  echo "$image"
  exit 0
fi

if ! docker image inspect "$base" >/dev/null 2>&1; then
  start=$(date +%s)
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  tar -C "$work/rootfs" -c . | docker import - "$base" >/dev/null
  rm -rf "$work/rootfs"
  echo "build-image: $base in $(( $(date +%s) - start )) s" >&2
fi

start=$(date +%s)
cp "$here/Dockerfile" "$work/context/"
cp -r "$here/conf" "$work/context/"
docker build -q --network host --build-arg BASE="$base" -t "$image" "$work/context" >&2
echo "build-image: $image in $(( $(date +%s) - start )) s" >&2
rm -rf "$work"
echo "$image"
