# jiefen: two commands matter.
#   make demo   install what is missing, build, load demo data, serve on :8080
#   make check  install what is missing, build with sanitizers, run every test
.SUFFIXES:

ifeq ($(origin CC),default)
CC = cc
endif
PKGS     = libmicrohttpd jansson sqlite3 libpq libsodium libzip expat xlsxwriter opencc libqrencode libcurl
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CSTD     = -std=c11 -D_GNU_SOURCE
INC      = -Isrc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
REL_FLAGS = -O2 -g
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

SRC_LIB  := $(sort $(wildcard src/core/*.c src/case/*.c src/store/*.c src/auth/*.c src/http/*.c src/api/*.c src/sheet/*.c src/seal/*.c src/text/*.c src/sched/*.c src/doc/*.c src/notify/*.c src/watch/*.c src/cli/cmd_*.c))
SRC_MAIN := src/cli/main.c
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

REL_OBJ  := $(SRC_LIB:%.c=build/obj/%.o)
SAN_OBJ  := $(SRC_LIB:%.c=build/san/obj/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/san/%)

DB      ?= data/demo.db
LISTEN  ?= 127.0.0.1:8080

.PHONY: all demo check deps build san test unit api browser format lint clean fuzz fuzz-build fuzz-replay bench analyze
all: build

deps:
	@scripts/deps.sh

build: build/jiefen
san: build/san/jiefen $(UNIT_BIN)

build/jiefen: $(REL_OBJ) build/obj/$(SRC_MAIN:.c=.o)
	@echo "  LD      $@"
	@$(CC) $(REL_FLAGS) -o $@ $^ $(PKG_LIBS)

build/san/jiefen: $(SAN_OBJ) build/san/obj/$(SRC_MAIN:.c=.o)
	@echo "  LD san  $@"
	@$(CC) $(SAN_FLAGS) -o $@ $^ $(PKG_LIBS)

build/san/test_%: tests/unit/test_%.c tests/unit/unit.h $(SAN_OBJ)
	@echo "  LD san  $@"
	@$(CC) $(CSTD) $(WARN) $(SAN_FLAGS) $(INC) -Itests/unit $(PKG_CFLAGS) -o $@ $< $(SAN_OBJ) $(PKG_LIBS) -lcmocka

build/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CSTD) $(WARN) $(REL_FLAGS) $(INC) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build/san/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC san  $<"
	@$(CC) $(CSTD) $(WARN) $(SAN_FLAGS) $(INC) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

# ---- fuzzing (docs/fuzzing.md): libFuzzer harnesses, clang only, their own objects ----
FUZZ_CC      ?= clang
FUZZ_FLAGS    = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_SECONDS ?= 60
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_OBJ     := $(SRC_LIB:%.c=build/fuzz/obj/%.o)
# Not intermediates: make would delete them after linking and rebuild them every run.
.SECONDARY: $(FUZZ_OBJ)
-include $(FUZZ_OBJ:.o=.d)

fuzz-build: $(FUZZ_BIN)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC fuzz $<"
	@$(FUZZ_CC) $(CSTD) $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(INC) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(FUZZ_OBJ)
	@echo "  LD fuzz $@"
	@$(FUZZ_CC) $(CSTD) $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer $(INC) -Itests/fuzz $(PKG_CFLAGS) -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS)

# Fuzzes each harness for FUZZ_SECONDS; new inputs go to build/fuzz/corpus/NAME (the
# checked-in seeds are only read), crashes to build/fuzz/crashes/NAME/.
fuzz: fuzz-build
	@for b in $(FUZZ_BIN); do n=$${b##*/}; \
	  mkdir -p build/fuzz/corpus/$$n build/fuzz/crashes/$$n; \
	  d=; [ -f tests/fuzz/$$n.dict ] && d=-dict=tests/fuzz/$$n.dict; \
	  echo "== $$n ($(FUZZ_SECONDS) s)"; \
	  $$b -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=16384 -rss_limit_mb=2048 \
	    -print_final_stats=1 $$d -artifact_prefix=build/fuzz/crashes/$$n/ \
	    build/fuzz/corpus/$$n tests/fuzz/corpus/$$n $$(ls -d tests/fuzz/regressions/$$n 2>/dev/null) \
	    >build/fuzz/$$n.log 2>&1 || { tail -n 40 build/fuzz/$$n.log; exit 1; }; \
	  grep -E '^stat::(number_of_executed_units|new_units_added)' build/fuzz/$$n.log; \
	done

# Runs every harness once over its seeds and regression inputs, without fuzzing (make check).
fuzz-replay: fuzz-build
	@tests/fuzz/replay.sh $(FUZZ_BIN)

-include $(REL_OBJ:.o=.d) $(SAN_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)

demo: deps
	@$(MAKE) --no-print-directory build
	@mkdir -p $(dir $(DB))
	@build/jiefen demo --db $(DB) --cases 3000
	@build/jiefen serve --db $(DB) --listen $(LISTEN) --web web

check: deps
	@$(MAKE) --no-print-directory lint
	@# The release build too: -O2 sees warnings (-Werror) that the sanitizer build's -O1 does
	@# not, and `make demo` uses it.
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory san
	@tests/run.sh

lint:
	@scripts/lint.sh

# cppcheck and clang-tidy over src/ (docs/quality.md); tests/run.sh runs it as a suite.
analyze:
	@scripts/analyze.sh

# Not part of check: timings belong in bench/results, never in a test. BENCH_SIZES="10000
# 100000" (default) sets the register sizes; see bench/suite.sh.
bench:
	@scripts/deps.sh bench
	@bench/suite.sh

format:
	clang-format -i $(wildcard src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c tests/fuzz/*.h)

clean:
	rm -rf build
