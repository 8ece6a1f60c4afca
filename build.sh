#!/usr/bin/env bash
# Bootstrap: check the SDK that global.json asks for, build the build project when its sources changed,
# then run it with every argument and exit with its code.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD_PROJECT="$ROOT/build/_build.csproj"
# The build runs from its own output folder so that `Compile` (which builds the solution) never
# overwrites the assembly that is running.
BUILD_BIN="$ROOT/.nuke/temp/build-bin"
BUILD_STAMP="$ROOT/.nuke/temp/build.stamp"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_UI_LANGUAGE=en

required_sdk="$(sed -n 's/.*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$ROOT/global.json" | head -n1)"
install_hint() {
  cat >&2 <<HINT
This build needs the .NET SDK ${required_sdk%.*} (global.json asks for ${required_sdk} or a later feature band).
Install it on Debian/Ubuntu with:
  curl -sSL https://dot.net/v1/dotnet-install.sh | bash -s -- --channel ${required_sdk%.*}
  export PATH="\$HOME/.dotnet:\$PATH"
or follow https://learn.microsoft.com/dotnet/core/install/linux, then run ./build.sh again.
HINT
}

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: 'dotnet' is not on PATH." >&2
  install_hint
  exit 1
fi
needs_build() {
  [[ ! -f "$BUILD_STAMP" || ! -f "$BUILD_BIN/_build.dll" ]] && return 0
  local changed
  changed="$(find "$ROOT/build" "$ROOT/pipeline" "$ROOT/training" "$ROOT/serving" \
      "$ROOT/Directory.Build.props" "$ROOT/Directory.Packages.props" "$ROOT/global.json" \
      \( -name bin -o -name obj \) -prune -o \
      -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.proto' -o -name '*.json' \) \
      -newer "$BUILD_STAMP" -print -quit 2>/dev/null || true)"
  [[ -n "$changed" ]]
}

if needs_build; then
  # The SDK is only needed to compile; checking it costs a dotnet start-up, so only when compiling.
  # `dotnet --version` inside the repository resolves global.json and fails when no installed SDK satisfies it.
  if ! sdk_version="$(cd "$ROOT" && dotnet --version 2>/dev/null)"; then
    echo "error: the 'dotnet' on PATH ($(command -v dotnet)) has no SDK that satisfies global.json." >&2
    echo "installed SDKs:" >&2
    dotnet --list-sdks >&2 || true
    install_hint
    exit 1
  fi
  mkdir -p "$ROOT/.nuke/temp"
  echo "Building the build project (SDK $sdk_version)..." >&2
  log="$ROOT/.nuke/temp/build-project.log"
  # Stamp the start, not the end: a source saved while compiling must trigger the next build.
  touch "$BUILD_STAMP.new"
  if ! dotnet build "$BUILD_PROJECT" -c Release -o "$BUILD_BIN" --nologo -v q >"$log" 2>&1; then
    grep -E 'error|Error' "$log" | sort -u >&2 || cat "$log" >&2
    echo "error: the build project does not compile (full log: ${log#"$ROOT"/})." >&2
    exit 1
  fi
  mv "$BUILD_STAMP.new" "$BUILD_STAMP"
fi

exec dotnet "$BUILD_BIN/_build.dll" --root "$ROOT" "$@"
