# Shared by run.sh, test.sh and bench.sh: install what is missing from Debian, find swift.
# shellcheck shell=bash

# Packages needed to build and run.
BUILD_PACKAGES=(pkg-config libsnmp-dev libcurl4-openssl-dev libsystemd-dev libsqlite3-dev libssl-dev libpq-dev
                binutils python3)

# apt_install PKG...: installs the packages that are not installed yet (needs root).
apt_install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "==> installing from Debian: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# find_swift: puts swift on PATH (the toolchain lives in /opt/swift on our machines).
find_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        for d in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
            [ -x "$d/swift" ] && export PATH="$d:$PATH" && break
        done
    fi
    command -v swift >/dev/null 2>&1 || { echo "swift not found: install the Swift 6 toolchain (swift.org) first" >&2; exit 1; }
}

# swift_build ARGS...: builds quietly; on failure prints the whole log and fails.
# Release builds link with the toolchain's lld and packed relative relocations (DT_RELR, glibc >= 2.36):
# the binary stays position-independent (ASLR) and its 2.3 MB relocation table shrinks to 19 KB, so
# less of it is read at start: 4 MB less resident for every process (bench note, issue 18).
# Each function in its own section, laid out in the order of Scripts/release/hot-code.order: the code
# the daemon runs every poll sits together on few pages instead of being spread over the 24 MB text
# (Scripts/symbol-order.sh regenerates the order; issue 18).
# No -lcurl: Foundation's URLSession, linked in unused through FlyingFox, would autolink libcurl and
# with it some thirty libraries at every start. Sources/CCurl defines every curl_* function the
# binary calls and opens libcurl on first use; a curl function it lacks fails the link by name.
RELEASE_LINK=(-Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs
              -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
              -Xswiftc -Xfrontend -Xswiftc -disable-autolink-library -Xswiftc -Xfrontend -Xswiftc curl
              -Xlinker "--symbol-ordering-file=$PWD/Scripts/release/hot-code.order" -Xlinker --no-warn-symbol-ordering
              -Xlinker --no-export-dynamic)

# No -export-dynamic (swiftc's default): static libraries' symbols are hidden anyway (--exclude-libs),
# nothing looks up the binary's own symbols with dlsym, and the dynamic symbol table cost 1.7 MB.

# ICU's data, trimmed: Foundation links all 34 MB of it into the binary; Scripts/release/icu-keep.txt
# says what the agent keeps (5 MB). The trimmed copy is made from the toolchain's own archive, so it
# always matches the ICU the binary runs, and is linked under another name with ICU's symbol pointed
# at it (--defsym), so the archive's copy is never pulled in. Prints the link arguments, or nothing
# (and a warning) when the toolchain has no static ICU archive; then the full data stays.
icu_link_args() {
    local archive member symbol dir=.build/icu
    archive="$(dirname "$(readlink -f "$(command -v swiftc)")")/../lib/swift_static/linux/lib_FoundationICU.a"
    if [ ! -f "$archive" ]; then
        echo "warning: $archive not found: the release binary keeps all of ICU's data" >&2
        return 0
    fi
    read -r member symbol < <(nm -A "$archive" 2>/dev/null | sed -nE 's/.*:([^:]+\.o): *[0-9a-f]+ R (icudt[0-9]+_dat)$/\1 \2/p' | head -n 1)
    if [ -z "$symbol" ]; then
        echo "warning: no icudtNN_dat in $archive: the release binary keeps all of ICU's data" >&2
        return 0
    fi
    local want; want=$(cat "$archive" Scripts/release/icu-keep.txt Scripts/release/icu_trim.py | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$dir/stamp" 2>/dev/null)" != "$want" ] || [ ! -f "$dir/icudata.o" ]; then
        rm -rf "$dir" && mkdir -p "$dir"
        local format arch
        (cd "$dir" && ar x "$archive" "$member" && objcopy -O binary --only-section=.rodata "$member" full.dat) >&2 &&
            format=$(objdump -f "$dir/$member" | sed -n 's/.*file format //p') && arch=$(objdump -f "$dir/$member" | sed -n 's/^architecture: \([^,]*\),.*/\1/p') &&
            python3 Scripts/release/icu_trim.py Scripts/release/icu-keep.txt "$dir/full.dat" "$dir/icudata.dat" >&2 &&
            (cd "$dir" && objcopy -I binary -O "$format" -B "$arch" \
                --rename-section .data=.rodata,alloc,load,readonly,data,contents \
                --redefine-sym _binary_icudata_dat_start=inspect_icu_data \
                --strip-symbol _binary_icudata_dat_end --strip-symbol _binary_icudata_dat_size icudata.dat icudata.o &&
             objcopy --set-section-alignment .rodata=16 icudata.o) >&2 || return 1
        rm -f "$dir/full.dat" "$dir/$member"
        echo "$want" > "$dir/stamp"
    fi
    printf '%s\n' -Xlinker --defsym -Xlinker "$symbol=inspect_icu_data" -Xlinker "$PWD/$dir/icudata.o"
}

# free_port [STREAM|DGRAM]: a free TCP (default) or UDP port on 127.0.0.1.
free_port() { python3 -c "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_${1:-STREAM}); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }

# A release build made with other compile flags is removed first. The compiler skips rewriting an
# object whose IR has not changed even when the flags have (measured: after -function-sections was
# added, 32 of InspectorCore's 57 objects, and every dependency's, were still the old ones), so
# without this a reused .build silently mixes old and new code generation.
# Only compile flags count here: llbuild relinks by itself when the link flags change.
clean_stale_release() {
    local stamp=.build/release-flags.stamp want
    want=$(printf '%s\n' "${RELEASE_LINK[@]}" | awk '$0 == "-Xlinker" { skip = 1; next } skip { skip = 0; next } { print }' |
           sha256sum | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        rm -rf .build/*/release
        mkdir -p .build && echo "$want" > "$stamp"
    fi
    # SwiftPM tracks neither the order file nor the ICU data as inputs: a new one relinks only without
    # the old binaries.
    local order=.build/release-order.stamp have
    have=$(cat Scripts/release/hot-code.order .build/icu/stamp 2>/dev/null | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$order" 2>/dev/null)" != "$have" ]; then
        rm -f .build/*/release/inspect .build/*/release/inspect-bench
        echo "$have" > "$order"
    fi
}

swift_build() {
    local extra=()
    case " $* " in *" -c release "*)
        local icu; icu=$(icu_link_args) || { echo "could not trim ICU's data" >&2; return 1; }
        [ -z "$icu" ] || mapfile -t extra <<< "$icu"
        clean_stale_release ;;
    esac
    local log; log=$(mktemp)
    if ! swift build "$@" "${extra[@]}" >"$log" 2>&1; then
        cat "$log"
        rm -f "$log"
        return 1
    fi
    grep -E "complete" "$log" | tail -n 1 || true
    rm -f "$log"
}
