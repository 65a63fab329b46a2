#!/usr/bin/env bash
# Builds the root file system the container image adds to an empty ("scratch") base: a Java runtime cut from the
# build's own JDK with jlink, the shared libraries that runtime loads (found with ldd, copied from this machine), a
# non-root user, and writable /tmp and /data. No registry and no Docker daemon are involved, so the image builds
# wherever Maven does; it has this machine's architecture (an arm64 laptop builds an arm64 image).
# Usage: build-runtime.sh <output directory> <JAVA_HOME of a JDK 17+ with jmods>
set -euo pipefail
out="$1"
jdk="$2"
# What the server uses: JDBC and naming (PostgreSQL driver), management (HikariCP, JVM metrics), XML (logback's
# configuration), logging, desktop (java.beans, which Jackson reads), HTTP client, TLS with elliptic curves (Stripe),
# unsupported (sun.misc.Unsafe, used by several libraries), zip file systems, and the management agent's extensions.
modules=java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,\
java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,\
jdk.crypto.cryptoki,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs,jdk.localedata

rm -rf "$out"
mkdir -p "$out/opt" "$out/etc" "$out/tmp" "$out/data" "$out/home/billing"
"$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$modules" --include-locales=en \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/opt/java"

# Some distributions' JDKs link their trust store and security files to /etc; the image needs the files themselves.
for f in "$out"/opt/java/lib/security/* "$out"/opt/java/conf/security/*; do
  if [ -L "$f" ]; then
    target=$(readlink -f "$f")
    rm "$f"
    if [ -f "$target" ]; then cp "$target" "$f"; fi
  fi
done
if [ ! -s "$out/opt/java/lib/security/cacerts" ] && [ -f /etc/ssl/certs/java/cacerts ]; then
  cp /etc/ssl/certs/java/cacerts "$out/opt/java/lib/security/cacerts"
fi

# Every shared library the runtime's executables and libraries need, at the path the dynamic loader looks for it.
# The server is headless: AWT's, sound's and font rendering's native libraries are never loaded (java.desktop is
# there for java.beans), so their X11 and font dependencies stay out.
find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) \
    ! -name 'libawt_xawt.so' ! -name 'libjawt.so' ! -name 'libsplashscreen.so' ! -name 'libfontmanager.so' \
    ! -name 'liblcms.so' ! -name 'libjsound.so' ! -name 'libjavajpeg.so' ! -name 'libmlib_image.so' \
    ! -name 'libawt.so' ! -name 'libawt_headless.so' -print0 |
  xargs -0 ldd 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*' | sort -u | while read -r lib; do
    case "$lib" in "$out"/*) continue ;; esac
    mkdir -p "$out$(dirname "$lib")"
    cp -L "$lib" "$out$lib"
  done

# A user of its own (uid 10001) in group 0, so that /data and /tmp, group-writable, work under any uid a platform picks.
cat > "$out/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
billing:x:10001:0:billing:/home/billing:/sbin/nologin
PASSWD
cat > "$out/etc/group" <<'GROUP'
root:x:0:
GROUP
printf 'hosts: files dns\n' > "$out/etc/nsswitch.conf"
# Container runtimes mount their own /etc/hosts over this one; without one, "localhost" would need DNS.
printf '127.0.0.1 localhost\n::1 localhost\n' > "$out/etc/hosts"
echo "runtime for the image in $out ($(du -sh "$out" | cut -f1))"
