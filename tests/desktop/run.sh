#!/usr/bin/env bash
# WebDriver tests of the desktop app on a demo archive (desktop/desk.test.mjs), then as a desk of
# a LAN host started on a demo archive of its own (desktop/lan_desk.test.mjs), then as the holding
# archive of a 跨馆 round trip with another archive's host (desktop/cross.test.mjs):
#
#   cargo build --release -p archivedesk                            # the CLI builds the archive
#   cargo build -p archivedesk-desktop --features test-config       # the app, test identifier
#   (cd tests && npm ci && bash desktop/run.sh)
#
# Runs on its own session bus (dbus-run-session: the single-instance plugin finds the first
# window through it) and its own X server (Xvfb, on a display number it picks itself), with
# tauri-driver and WebKitWebDriver on free ports. Everything it started is ended when it ends,
# however it ends. Screenshots and logs go to tests/desktop/artifacts/.
#
# ARCHIVEDESK_DESKTOP_BIN and ARCHIVEDESK_BIN name other builds of the app and the CLI;
# DESKTOP_TEST_TIMEOUT (seconds, default 300) bounds the whole test run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
app="${ARCHIVEDESK_DESKTOP_BIN:-$target/debug/archivedesk-desktop}"
cli="${ARCHIVEDESK_BIN:-$target/release/archivedesk}"
artifacts="$here/artifacts"

say() { echo "desktop: $*"; }
die() {
    echo "desktop: ERROR: $*" >&2
    exit 1
}

# cargo install puts tauri-driver here, which a fresh login's PATH may lack.
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
[[ ! -d "$cargo_bin" ]] || PATH="$PATH:$cargo_bin"

for tool in dbus-run-session Xvfb tauri-driver WebKitWebDriver xwininfo xprop setsid node; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (bash .ci/setup installs it)"
done
[[ -x "$app" ]] || die "desktop app not built: $app (cargo build -p archivedesk-desktop --features test-config)"
[[ -x "$cli" ]] || die "archivedesk not built: $cli (cargo build --release -p archivedesk)"
[[ -d "$root/tests/node_modules/selenium-webdriver" ]] || die "selenium-webdriver not installed (npm ci in tests/)"

# A session bus of our own, which ends with this script.
if [[ -z "${ARCHIVEDESK_DESKTOP_TEST_BUS:-}" ]]; then
    export ARCHIVEDESK_DESKTOP_TEST_BUS=1
    exec dbus-run-session -- bash "${BASH_SOURCE[0]}" "$@"
fi

# A folder name with Chinese characters, as on a clerk's PC.
work="$(mktemp -d "${TMPDIR:-/tmp}/archivedesk-desktop-XXXXXX")"
data="$work/桌面测试档案"
rm -rf "$artifacts"
mkdir -p "$artifacts"

xvfb_pid=""
driver_pid=""

# The processes that carry this run's data folder in their environment: the app (started by
# WebKitWebDriver or by the tests), its web processes, tauri-driver and WebKitWebDriver.
# Read with builtins only, so that no helper process of its own turns up.
ours() {
    local environ pid vars var
    for environ in /proc/[0-9]*/environ; do
        pid="${environ#/proc/}"
        pid="${pid%/environ}"
        [[ "$pid" != "$$" && "$pid" != "$BASHPID" ]] || continue
        mapfile -d '' vars 2>/dev/null <"$environ" || continue
        for var in "${vars[@]}"; do
            if [[ "$var" == "ARCHIVEDESK_DATA_DIR=$data" ]]; then
                echo "$pid"
                break
            fi
        done
    done
}

cleanup() {
    local status=$? pids
    trap - EXIT INT TERM
    # tauri-driver first (it ends WebKitWebDriver), then whatever is left of the app.
    [[ -z "$driver_pid" ]] || kill -TERM -- "-$driver_pid" 2>/dev/null || true
    pids="$(ours)"
    # shellcheck disable=SC2086
    [[ -z "$pids" ]] || kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 20); do
        pids="$(ours)"
        [[ -n "$pids" ]] || break
        sleep 0.25
    done
    # shellcheck disable=SC2086
    [[ -z "$pids" ]] || kill -KILL $pids 2>/dev/null || true
    if [[ -n "$xvfb_pid" ]]; then
        kill -TERM "$xvfb_pid" 2>/dev/null || true
        wait "$xvfb_pid" 2>/dev/null || true
    fi
    # The app's own log, for a run that failed.
    cp "$work"/xdg/data/cn.archivedesk.desk.test/logs/*.log "$artifacts/" 2>/dev/null || true
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "building the demo archive in $data"
"$cli" --data-dir "$data" demo --entries 2000 >"$artifacts/demo.log" 2>&1 ||
    { cat "$artifacts/demo.log" >&2; die "the demo archive was not built"; }

# The app's settings, window state and logs stay in this run's folder, not the user's.
export XDG_CONFIG_HOME="$work/xdg/config" XDG_DATA_HOME="$work/xdg/data" XDG_CACHE_HOME="$work/xdg/cache"
export XDG_RUNTIME_DIR="$work/xdg/runtime"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export LANG="${LANG:-C.UTF-8}"

# Xvfb picks a free display itself and writes its number to fd 3 once it accepts clients.
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 3>"$work/display" 2>"$artifacts/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do
    [[ -s "$work/display" ]] && break
    kill -0 "$xvfb_pid" 2>/dev/null || die "Xvfb did not start: $(cat "$artifacts/xvfb.log")"
    sleep 0.1
done
[[ -s "$work/display" ]] || die "Xvfb gave no display within 10 s"
export DISPLAY=":$(head -n1 "$work/display")"
export ARCHIVEDESK_DATA_DIR="$data"

# Two free ports: tauri-driver's and WebKitWebDriver's behind it.
read -r port native_port < <(node -e '
    const net = require("node:net");
    const free = () => new Promise((ok) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => ok(s)); });
    Promise.all([free(), free()]).then((servers) => {
        console.log(servers.map((s) => s.address().port).join(" "));
        servers.forEach((s) => s.close());
    });')

# In a process group of its own, so that it ends with everything it started.
setsid tauri-driver --port "$port" --native-port "$native_port" >"$artifacts/tauri-driver.log" 2>&1 &
driver_pid=$!
url="http://127.0.0.1:$port"
ready=false
for _ in $(seq 100); do
    kill -0 "$driver_pid" 2>/dev/null || { cat "$artifacts/tauri-driver.log" >&2; die "tauri-driver exited"; }
    if node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(1000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url/status"; then
        ready=true
        break
    fi
    sleep 0.2
done
$ready || { cat "$artifacts/tauri-driver.log" >&2; die "tauri-driver did not answer $url/status within 20 s"; }
say "display $DISPLAY, tauri-driver on port $port, app $app"

export TAURI_DRIVER_URL="$url" ARCHIVEDESK_DESKTOP_BIN="$app" ARCHIVEDESK_BIN="$cli"
cd "$root/tests"
timeout --kill-after=10 "${DESKTOP_TEST_TIMEOUT:-300}" \
    node --test --test-reporter=tap --test-force-exit "$here/desk.test.mjs"
# The app as a LAN desk, once the first app has quit (one app at a time on this session bus).
timeout --kill-after=10 "${DESKTOP_TEST_TIMEOUT:-300}" \
    node --test --test-reporter=tap --test-force-exit "$here/lan_desk.test.mjs"
# The app answering another archive through its own peer door, once the desk has quit.
timeout --kill-after=10 "${DESKTOP_TEST_TIMEOUT:-300}" \
    node --test --test-reporter=tap --test-force-exit "$here/cross.test.mjs"
