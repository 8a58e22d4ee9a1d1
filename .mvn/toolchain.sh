# Shared by ./mvnw and the project's scripts: find the tools the build needs or say what to install.

# Prints the major version of the JDK at $1, or nothing when it is not a JDK.
ltxvfs_jdk_major() {
  local home=$1 v
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  else
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  fi
  echo "$v"
}

# Exports JAVA_HOME as a JDK >= 25: JAVA_HOME when it qualifies, else the newest under the usual places.
ltxvfs_require_jdk() {
  local want=25 best="" best_v=0 d v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(ltxvfs_jdk_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$want" ]; then export JAVA_HOME; export PATH="$JAVA_HOME/bin:$PATH"; return 0; fi
  fi
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*/jdk* \
           "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$d" ] || continue
    v=$(ltxvfs_jdk_major "$d")
    if [ -n "$v" ] && [ "$v" -ge "$want" ] && [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi
  done
  if [ -z "$best" ]; then
    echo "ltxvfs needs JDK $want or newer (found none in JAVA_HOME or /usr/lib/jvm): install one, e.g. Temurin $want, and set JAVA_HOME." >&2
    exit 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

# The build compiles a small SQLite extension in C.
ltxvfs_require_cc() {
  if [ -n "${CC:-}" ] && command -v "$CC" >/dev/null; then return 0; fi
  for c in cc gcc clang; do
    if command -v "$c" >/dev/null; then export CC="$c"; return 0; fi
  done
  echo "ltxvfs needs a C compiler to build its SQLite extension: install gcc (apt-get install gcc) or clang." >&2
  exit 1
}
