#!/usr/bin/env bash
# Builds the phone's app for release into dist/ (both builds, src/builds.rs),
# with Rust's standard library compiled for size beside the app and a panic
# that stops the WASM at once, without formatting its message: 20 KB brotli
# less for a phone to download (docs/benchmarks.md, "App critical-path
# size"). A panic then reaches the page as a WebAssembly.RuntimeError, which
# public/boot.js answers with the recovery screen.
#
# These are unstable options of rustc 1.95 (this machine's stable), enabled
# with RUSTC_BOOTSTRAP for this build only; a rustc that renamed them stops
# the build here rather than building something else. scripts/setup.sh adds
# the standard library's sources (rust-src) that build-std compiles.
# Run after `. scripts/setup.sh`; arguments go to `trunk build`.
set -euo pipefail
cd "$(dirname "$0")/.."

export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD="std,panic_abort"
# The standard library's smaller variants of its algorithms (sorting,
# formatting), for size rather than speed like the rest of the build.
export CARGO_UNSTABLE_BUILD_STD_FEATURES="optimize_for_size"
# erase_components: Leptos builds each component's view as one type-erased
# AnyView instead of one nested generic type per screen, so tachys' build,
# rebuild and mount code is not monomorphised for every screen (−27 KB brotli).
# location-detail and fmt-debug: a panic's file and line, and what `{:?}`
# prints, are never shown to anyone once the panic stops the WASM at once;
# nothing the app shows or stores is formatted with Debug (−3.2 KB brotli with
# optimize_for_size above, docs/benchmarks.md).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort --cfg erase_components -Zlocation-detail=none -Zfmt-debug=none"
# RUSTFLAGS from outside would silently replace the flags above.
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
# Trunk builds offline (Trunk.toml), and the standard library's own
# dependencies (its Cargo.lock in rust-src) are not the app's: fetch them.
cargo fetch --target wasm32-unknown-unknown --quiet
exec trunk build --release "$@"
