# The two commands: `make demo` and `make test`. Everything else is a helper for those.
SHELL := /bin/bash
DB ?= build/demo/mittari.db
MITTARI := build/release/apps/mittari/mittari

.PHONY: setup build demo test test-release test-asan bench clean

setup:
	@bash scripts/setup

build: setup
	cmake --preset release
	cmake --build --preset release

demo: build
	@bash scripts/demo "$(MITTARI)" "$(DB)"

test: setup test-release test-asan

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
