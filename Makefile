# cloudphone — the two commands that matter: `make run` and `make test`.
BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
CMAKE_FLAGS ?=
export CCACHE_DIR ?= $(HOME)/.cache/ccache
# Relative paths in the cache key: a fresh clone elsewhere (CI) reuses this machine's cache.
export CCACHE_BASEDIR ?= $(CURDIR)
# Warnings are errors in every `make` build (CI included), so local and CI flags are identical.
CP_WERROR ?= ON

.PHONY: run test deps build bench configure clean format fuzz asan test-unit web

# Installs what is missing, builds, and starts the whole platform on embedded defaults.
run: deps build
	./$(BUILD)/cloudphone up

# Builds everything and runs every test (unit, PostgreSQL, adb, integration); the servers
# tests need are installed and started by scripts/test-servers/*.sh through ctest fixtures.
test: deps build
	cd $(BUILD) && ctest --output-on-failure --timeout 900 -j $(JOBS)

test-unit: build
	cd $(BUILD) && ctest --output-on-failure -L unit -j $(JOBS)

deps:
	@bash scripts/install-deps.sh

configure:
	@if [ ! -f $(BUILD)/build.ninja ]; then \
	  cmake -G Ninja -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache \
	    -DCP_WERROR=$(CP_WERROR) $(CMAKE_FLAGS); \
	fi

build: configure
	cmake --build $(BUILD) -j $(JOBS)
	bash scripts/build-web.sh

web:
	bash scripts/build-web.sh

# Throughput/latency measurements; results are appended to docs/performance.md.
bench: deps build
	bash scripts/bench.sh $(BUILD)

# Sanitizer build of the tests (address + undefined behaviour).
asan:
	$(MAKE) test BUILD=build-asan BUILD_TYPE=Debug CMAKE_FLAGS=-DCP_SANITIZE=ON

fuzz:
	cmake -G Ninja -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DCP_FUZZ=ON
	cmake --build build-fuzz -j $(JOBS) --target adb_packet_fuzz axml_fuzz arsc_fuzz

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
