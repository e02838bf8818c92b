# The two commands: `make demo` and `make test`. Everything else is a helper for those.
SHELL := /bin/bash
DB ?= build/demo/mittari.db
MITTARI := build/release/apps/mittari/mittari

.PHONY: setup web build demo test test-release test-asan bench clean

WEB_STAMP := web/node_modules/.installed

setup:
	@bash scripts/setup

# The dashboard: TypeScript + Vite, built into build/web, which `mittari serve` serves.
# `npm install`, not `npm ci`: npm 11 writes lock files without other platforms' optional
# packages (rollup's binaries) and then its own `npm ci` refuses them. With the lock file
# present, `npm install` still installs exactly the locked versions.
$(WEB_STAMP): web/package-lock.json web/package.json
	cd web && npm install --no-audit --no-fund
	touch $@

web: setup $(WEB_STAMP)
	cd web && npm run build

build: setup web
	cmake --preset release
	cmake --build --preset release

demo: build
	@bash scripts/demo "$(MITTARI)" "$(DB)"

test: setup web test-release test-asan

test-release:
	cmake --preset release
	cmake --build --preset release
	ctest --preset release

test-asan:
	cmake --preset asan
	cmake --build --preset asan
	ctest --preset asan

bench: build
	@bash bench/run "$(MITTARI)"

clean:
	rm -rf build
